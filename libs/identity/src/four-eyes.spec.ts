import { refusalToApprove, refusalToPropose, refusalToWithdraw, waiverNeedsSecondPerson } from './four-eyes';
import { Role, ROLES } from './roles';

const person = (userId: number | null, role: Role | null) => ({ userId, role });
const proposal = { proposedByUserId: 7 };

/** Who may take each step, written out by hand: not derived from the permission list. */
const MAY_PROPOSE: Role[] = ['abb-reviewer'];
const MAY_APPROVE: Role[] = ['abb-reviewer', 'abb-administrator'];

describe('four eyes on money', () => {
  it.each(ROLES)('lets only an ABB reviewer propose (%s)', (role) => {
    expect(refusalToPropose(person(7, role)) === null).toBe(MAY_PROPOSE.includes(role));
  });

  it.each(ROLES)('lets only another ABB person approve (%s)', (role) => {
    expect(refusalToApprove(person(8, role), proposal) === null).toBe(MAY_APPROVE.includes(role));
  });

  it.each(ROLES)('never lets the proposer approve, whatever the role (%s)', (role) => {
    expect(refusalToApprove(person(7, role), proposal)).toEqual(expect.any(String));
  });

  it('names the reason a proposer may not approve', () => {
    expect(refusalToApprove(person(7, 'abb-reviewer'), proposal)).toBe('U hebt dit voorstel zelf gedaan: een tweede persoon van ABB moet het goedkeuren.');
  });

  it('refuses every step to an operator command or the system, even with a role', () => {
    for (const role of [null, 'abb-reviewer', 'abb-administrator'] as const) {
      expect(refusalToPropose(person(null, role))).toEqual(expect.any(String));
      expect(refusalToApprove(person(null, role), proposal)).toEqual(expect.any(String));
      expect(refusalToWithdraw(person(null, role), proposal)).toEqual(expect.any(String));
    }
  });

  it.each(ROLES)('lets the proposer or a possible approver withdraw (%s)', (role) => {
    expect(refusalToWithdraw(person(7, role), proposal)).toBeNull();
    expect(refusalToWithdraw(person(8, role), proposal) === null).toBe(MAY_APPROVE.includes(role));
  });

  it('asks a second person for a waiver above the call threshold only', () => {
    expect(waiverNeedsSecondPerson(0, 0)).toBe(false);
    expect(waiverNeedsSecondPerson(1, 0)).toBe(true);
    expect(waiverNeedsSecondPerson(500_000, 500_000)).toBe(false);
    expect(waiverNeedsSecondPerson(500_001, 500_000)).toBe(true);
  });
});
