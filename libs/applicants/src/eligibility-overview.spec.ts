import { coverageCounts } from './eligibility-overview';

describe('coverageCounts', () => {
  it('counts the rows per coverage status, naming every status', () => {
    expect(coverageCounts([{ status: 'cooperation' }, { status: 'not-covered' }, { status: 'cooperation' }])).toEqual({
      'eligible-alone': 0,
      cooperation: 2,
      'not-covered': 1,
    });
    expect(coverageCounts([])).toEqual({ 'eligible-alone': 0, cooperation: 0, 'not-covered': 0 });
  });
});
