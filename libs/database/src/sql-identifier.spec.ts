import { sqlIdentifier } from './sql-identifier';

describe('sqlIdentifier', () => {
  it('passes plain lower-case names', () => {
    expect(sqlIdentifier('application')).toBe('application');
    expect(sqlIdentifier('impact_bond_stimulus_granted_cents')).toBe('impact_bond_stimulus_granted_cents');
  });

  it.each(['', 'Status', 'status = 1', 'a; DROP TABLE call', 'x"', '1abc', 'naam-nl'])('refuses %j', (name) => {
    expect(() => sqlIdentifier(name)).toThrow(/Not a plain SQL identifier/);
  });
});
