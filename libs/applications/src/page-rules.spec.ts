import { applicationAbilities, isDecided } from './page-rules';
import { STATUSES } from './workflow';

const officer = { role: 'municipal-officer' as const, localGovernmentId: 7 };

describe('what a page may offer on an application', () => {
  it('lets the lead officer edit and submit a concept or a returned application', () => {
    for (const status of ['concept', 'terug-naar-aanvrager'] as const) {
      expect(applicationAbilities({ status, leadLocalGovernmentId: 7 }, officer)).toEqual({
        editable: true,
        canSubmit: true,
        canReview: false,
        canExcept: false,
      });
    }
  });

  it('lets a member officer edit but not submit', () => {
    expect(applicationAbilities({ status: 'concept', leadLocalGovernmentId: 8 }, officer)).toMatchObject({ editable: true, canSubmit: false });
  });

  it('freezes the draft once submitted, in review or decided', () => {
    for (const status of ['ingediend', 'in-behandeling', 'goedgekeurd', 'afgewezen'] as const) {
      expect(applicationAbilities({ status, leadLocalGovernmentId: 7 }, officer)).toMatchObject({ editable: false, canSubmit: false });
    }
  });

  it('gives ABB review or exceptions by role, never the draft', () => {
    expect(applicationAbilities({ status: 'concept', leadLocalGovernmentId: 7 }, { role: 'abb-reviewer', localGovernmentId: null })).toEqual({
      editable: false,
      canSubmit: false,
      canReview: true,
      canExcept: false,
    });
    expect(applicationAbilities({ status: 'afgewezen', leadLocalGovernmentId: 7 }, { role: 'abb-administrator', localGovernmentId: null })).toEqual({
      editable: false,
      canSubmit: false,
      canReview: false,
      canExcept: true,
    });
    expect(applicationAbilities({ status: 'concept', leadLocalGovernmentId: 7 }, { role: null, localGovernmentId: null })).toEqual({
      editable: false,
      canSubmit: false,
      canReview: false,
      canExcept: false,
    });
  });

  it('knows a decision only after approval or rejection', () => {
    expect(STATUSES.filter(isDecided)).toEqual(['goedgekeurd', 'afgewezen']);
  });
});
