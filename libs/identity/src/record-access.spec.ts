import { NotFound, NotPermitted } from '@ps/kernel';
import { asSeenBy, HISTORY_READ_PERMISSION, HistoryEntityType, historyAccess, seesPersonalData } from './record-access';
import { Role, ROLES } from './roles';

const officer = { role: 'municipal-officer' as const, localGovernmentId: 12 };
const as = (role: Role) => ({ role, localGovernmentId: role === 'municipal-officer' ? 12 : null });

/** Who may read each kind of record's history, and whose entries only; written out by hand, not derived from the permissions. */
const EXPECTED: Record<HistoryEntityType, Partial<Record<Role, 'all' | 'own'>>> = {
  user: { 'abb-administrator': 'all', 'platform-administrator': 'all' },
  'api-token': { 'abb-administrator': 'all', 'platform-administrator': 'all' },
  applicant: { 'municipal-officer': 'own', 'abb-reviewer': 'all', 'abb-administrator': 'all', 'vvsg-analyst': 'all', 'platform-administrator': 'all' },
  partner: { 'municipal-officer': 'own', 'abb-reviewer': 'all', 'abb-administrator': 'all', 'vvsg-analyst': 'all', 'platform-administrator': 'all' },
  application: { 'municipal-officer': 'own', 'abb-reviewer': 'all', 'abb-administrator': 'all', 'vvsg-analyst': 'all' },
  'allocation-run': { 'abb-reviewer': 'all', 'abb-administrator': 'all', 'vvsg-analyst': 'all' },
  call: { 'municipal-officer': 'own', 'abb-reviewer': 'all', 'abb-administrator': 'all', 'vvsg-analyst': 'all', 'platform-administrator': 'all' },
  'kpi-line': { 'municipal-officer': 'own', 'abb-reviewer': 'all', 'abb-administrator': 'all', 'vvsg-analyst': 'all', 'platform-administrator': 'all' },
  'origin-statistics': {
    'municipal-officer': 'own',
    'abb-reviewer': 'all',
    'abb-administrator': 'all',
    'vvsg-analyst': 'all',
    'platform-administrator': 'all',
  },
  'reference-regions': {
    'municipal-officer': 'own',
    'abb-reviewer': 'all',
    'abb-administrator': 'all',
    'vvsg-analyst': 'all',
    'platform-administrator': 'all',
  },
};

describe('record access: the history of a record needs the permission to read that record', () => {
  it('covers exactly the kinds of record the audit trail writes', () => {
    expect(Object.keys(HISTORY_READ_PERMISSION).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const entityType of Object.keys(EXPECTED) as HistoryEntityType[]) {
    it.each(ROLES)(`${entityType}: %s`, (role) => {
      const want = EXPECTED[entityType][role];
      if (!want) {
        expect(() => historyAccess(as(role), entityType)).toThrow(NotPermitted);
        return;
      }
      const access = historyAccess(as(role), entityType);
      expect(access.onlyForLocalGovernmentId).toBe(want === 'own' ? 12 : undefined);
      expect(access.personal).toBe(role !== 'vvsg-analyst');
    });
  }

  it('answers an unknown kind of record as not found, also for names on the prototype', () => {
    for (const entityType of ['no-such-thing', 'constructor', 'to-string']) expect(() => historyAccess(officer, entityType)).toThrow(NotFound);
  });

  it('refuses the history with a Dutch reason', () => {
    expect(() => historyAccess(as('vvsg-analyst'), 'user')).toThrow(/U mag dit record niet lezen/);
  });

  it('lets no one without a role read anything, and an officer without a local government only what no one owns', () => {
    expect(() => historyAccess({ role: null, localGovernmentId: null }, 'call')).toThrow(NotPermitted);
    expect(historyAccess({ role: 'municipal-officer', localGovernmentId: null }, 'applicant').onlyForLocalGovernmentId).toBe(-1);
  });

  it('shows personal data to every role but the VVSG analyst', () => {
    expect(ROLES.filter((role) => !seesPersonalData(role))).toEqual(['vvsg-analyst']);
    expect(seesPersonalData(null)).toBe(false);
  });

  it('gives a read model as it is to those who see personal data, and without it to the others', () => {
    const applicant = { nameNl: 'Stad Gent', contact: { name: 'An', email: 'an@gent.be', phone: null, iban: 'BE68539007547034' } };
    expect(asSeenBy('abb-reviewer', applicant)).toBe(applicant);
    expect(asSeenBy('vvsg-analyst', applicant)).toEqual({ nameNl: 'Stad Gent', contact: { name: null, email: null, phone: null, iban: null } });
  });
});
