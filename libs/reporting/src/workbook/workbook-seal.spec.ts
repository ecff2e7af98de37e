import { WorkbookStamp } from './workbook-layout';
import { sealMatches, sealOf } from './workbook-seal';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const stamp: WorkbookStamp = {
  applicationId: 42,
  kind: 'interim',
  version: 3,
  status: 'draft',
  lines: [{ kpiLineId: 101, realisedQuantity: 8, approach: 'Twee\r\nregels', partners: '', motivation: '', evidenceIds: [1] }],
};

describe('the workbook seal', () => {
  it('matches the stamp it was made for, also when Excel stored the line ends as line feeds', () => {
    const seal = sealOf(stamp, SECRET);
    expect(seal).toMatch(/^[0-9a-f]{64}$/);
    expect(sealMatches(stamp, seal, SECRET)).toBe(true);
    expect(sealMatches({ ...stamp, lines: [{ ...stamp.lines[0], approach: 'Twee\nregels' }] }, seal, SECRET)).toBe(true);
  });

  it.each<[string, Partial<WorkbookStamp>]>([
    ['another version', { version: 4 }],
    ['another application', { applicationId: 43 }],
    ['another kind', { kind: 'final' }],
    ['another status', { status: 'submitted' }],
    ['another value', { lines: [{ ...stamp.lines[0], realisedQuantity: 9 }] }],
  ])('does not match %s', (_, change) => {
    expect(sealMatches({ ...stamp, ...change }, sealOf(stamp, SECRET), SECRET)).toBe(false);
  });

  it('does not match with another secret, nor a seal of another length', () => {
    expect(sealMatches(stamp, sealOf(stamp, `${SECRET}!`), SECRET)).toBe(false);
    expect(sealMatches(stamp, '', SECRET)).toBe(false);
  });
});
