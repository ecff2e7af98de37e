import { changedInputs, hashed } from './proposal-rules';

describe('a proposal’s inputs', () => {
  const proposed = { approvedApplications: 'abc', latestRunId: 4, pendingReview: [3, 9], payoutAccounts: hashed({ 1: 'BE68539007547034' }) };

  it('finds no change when the inputs are the same', () => {
    expect(changedInputs(proposed, { ...proposed, pendingReview: [3, 9] })).toEqual([]);
  });

  it('names every input that changed, with its Dutch reason', () => {
    const now = { ...proposed, approvedApplications: 'abd', latestRunId: 5 };
    expect(changedInputs(proposed, now)).toEqual([
      { input: 'approvedApplications', message: expect.stringContaining('goedgekeurde aanvragen') },
      { input: 'latestRunId', message: 'Er is intussen een nieuwere simulatie van deze oproep berekend.' },
    ]);
  });

  it('sees a changed order, a new and a missing input', () => {
    expect(changedInputs(proposed, { ...proposed, pendingReview: [9, 3] }).map((c) => c.input)).toEqual(['pendingReview']);
    expect(changedInputs({ a: 1 }, { a: 1, settled: true }).map((c) => c.input)).toEqual(['settled']);
    expect(changedInputs({ a: 1, b: null }, { a: 1 })).toEqual([]);
    expect(changedInputs({ unknown: 1 }, { unknown: 2 })).toEqual([{ input: 'unknown', message: 'Een gegeven waarop het voorstel steunt, is gewijzigd.' }]);
  });

  it('keeps a payout account as a hash that still shows a change', () => {
    expect(hashed({ 1: 'BE68539007547034' })).toMatch(/^[0-9a-f]{64}$/);
    expect(hashed({ 1: 'BE68539007547034' })).not.toBe(hashed({ 1: 'BE71096123456769' }));
  });
});
