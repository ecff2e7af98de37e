import fc from 'fast-check';
import { CatalogueLine, checkDraft, totals, typedContribution } from './application-rules';
import { isEditable, mayExtend, transitionRefusal } from './workflow';

const catalogue: CatalogueLine[] = [
  { id: 1, actionNumber: 2, unitNl: 'lokaal actieplan', maxQuantity: 1, unitAmountCents: 2_500_000 },
  { id: 2, actionNumber: 5, unitNl: 'volwassen anderstaligen', maxQuantity: 2250, unitAmountCents: 6000 },
  { id: 3, actionNumber: 9, unitNl: 'begeleide nieuwkomers', maxQuantity: 150, unitAmountCents: 65000 },
  { id: 4, actionNumber: 9, unitNl: 'begeleide 55-plussers', maxQuantity: 75, unitAmountCents: 65000 },
];
const line = (kpiLineId: number, plannedReach: unknown, currentReach: unknown = 0) => ({ kpiLineId, plannedReach, currentReach });

describe('application draft rules', () => {
  it('computes the Flemish contribution as planned × unit amount, in cents', () => {
    const draft = checkDraft(
      {
        lines: [line(2, 100), line(3, '10'), line(4, 5)],
        priorities: [
          { actionNumber: 5, priority: 1 },
          { actionNumber: 9, priority: 2 },
        ],
      },
      catalogue,
      false,
    );
    expect(draft.errors).toEqual({});
    expect(draft.incomplete).toEqual({});
    expect(draft.lines.map((l) => l.contributionCents)).toEqual([600_000, 650_000, 325_000]);
    expect(totals(draft.lines, draft.stimuli, { cooperationCents: 1_000_000, mentorshipCents: null, impactBondCents: null })).toEqual({
      flemishContributionCents: 1_575_000,
      localCofinancingCents: 1_575_000,
      stimuliCents: 0,
      totalFlemishCents: 1_575_000,
    });
  });

  it('refuses planned reach above the maximum, negative or fractional numbers, per field', () => {
    const draft = checkDraft({ lines: [line(1, 2), line(2, -1), line(3, '2.5'), line(4, 'veel', '-3')], priorities: [] }, catalogue, false);
    expect(Object.keys(draft.errors).sort()).toEqual(['current-4', 'planned-1', 'planned-2', 'planned-3', 'planned-4']);
    expect(draft.errors['planned-1']).toEqual(['Vul voor het geplande bereik een geheel getal van 0 tot 1 in (lokaal actieplan).']);
  });

  it('refuses duplicate priorities and priorities on actions without planned reach', () => {
    const draft = checkDraft(
      {
        lines: [line(2, 10), line(3, 10)],
        priorities: [
          { actionNumber: 5, priority: 1 },
          { actionNumber: 9, priority: 1 },
          { actionNumber: 2, priority: 2 },
        ],
      },
      catalogue,
      false,
    );
    expect(draft.errors).toEqual({
      'priority-9': ['Prioriteit 1 is al gegeven aan actie 5; elk nummer één keer.'],
      'priority-2': ['Geef enkel een prioriteit aan acties waarvoor u bereik plant (actie 2).'],
    });
  });

  it('refuses the same KPI line or action twice in one save instead of letting the last one win', () => {
    const draft = checkDraft(
      { lines: [line(2, 10), line(3, 5), line(2, 20)], priorities: [{ actionNumber: 5, priority: 1 }, { actionNumber: 9, priority: 2 }, { actionNumber: 5 }] },
      catalogue,
      false,
    );
    expect(draft.errors).toEqual({
      'planned-2': ['Deze KPI-lijn (volwassen anderstaligen) staat meer dan één keer in de aanvraag; geef elke lijn één keer.'],
      'priority-5': ['Actie 5 staat meer dan één keer in de prioriteiten; geef elke actie één keer.'],
    });
    expect(draft.lines.map((l) => [l.kpiLineId, l.plannedReach])).toEqual([
      [2, 10],
      [3, 5],
    ]);
  });

  it('lets a draft miss priorities and reach, but lists what a submission needs', () => {
    expect(checkDraft({ lines: [], priorities: [] }, catalogue, false).incomplete).toEqual({
      lines: ['Plan voor minstens één KPI-lijn een bereik groter dan 0.'],
    });
    const draft = checkDraft({ lines: [line(2, 10), line(3, 10)], priorities: [{ actionNumber: 5, priority: 3 }] }, catalogue, false);
    expect(draft.errors).toEqual({});
    expect(draft.incomplete).toEqual({
      'priority-9': ['Geef actie 9 een prioriteit.'],
      'priority-5': ['De prioriteiten zijn de nummers 1 tot 2, elk één keer.'],
    });
  });

  it('accepts exactly the priorities 1..n, each once, for any set of committed actions', () => {
    fc.assert(
      fc.property(fc.subarray([2, 5, 9], { minLength: 1 }), (actions) => {
        const lines = actions.map((a) => line(catalogue.find((l) => l.actionNumber === a)!.id, 1));
        const order = fc.sample(fc.shuffledSubarray(actions, { minLength: actions.length }), 1)[0];
        const draft = checkDraft({ lines, priorities: order.map((a, i) => ({ actionNumber: a, priority: i + 1 })) }, catalogue, false);
        return Object.keys(draft.errors).length === 0 && Object.keys(draft.incomplete).length === 0;
      }),
    );
  });

  it('checks the stimuli: the cooperation stimulus only where allowed, texts at most 2,500 characters', () => {
    const base = { lines: [line(2, 10)], priorities: [{ actionNumber: 5, priority: 1 }] };
    expect(checkDraft({ ...base, cooperationStimulus: true }, catalogue, false).errors).toHaveProperty('cooperation-stimulus');
    expect(checkDraft({ ...base, cooperationStimulus: true }, catalogue, true).errors).toEqual({});
    const long = checkDraft({ ...base, mentorship: { actionNumber: 5, motivation: 'x'.repeat(2501) } }, catalogue, false);
    expect(long.errors['mentorship-motivation'][0]).toContain('hoogstens 2500 tekens');
    const bond = checkDraft(
      { ...base, impactBond: { expertise: 'Ervaring met SIB', problem: '', actionNumbers: ['5'], learningNetwork: false } },
      catalogue,
      false,
    );
    expect(Object.keys(bond.incomplete).sort()).toEqual(['impact-learning-network', 'impact-problem']);
    const withStimuli = checkDraft({ ...base, cooperationStimulus: true, mentorship: { actionNumber: 5, motivation: 'Wij coachen' } }, catalogue, true);
    expect(totals(withStimuli.lines, withStimuli.stimuli, { cooperationCents: 1_000_000, mentorshipCents: 500_000, impactBondCents: null })).toMatchObject({
      stimuliCents: 1_500_000,
      totalFlemishCents: 1_560_000,
      localCofinancingCents: 60_000,
    });
  });

  it('refuses KPI lines of another call', () => {
    expect(checkDraft({ lines: [line(99, 1)], priorities: [] }, catalogue, false).errors).toHaveProperty('lines');
  });
});

describe('the contribution of what was typed, shown again after a refused save', () => {
  const line = { maxQuantity: 10, unitAmountCents: 125_050 };

  it('is the typed whole number times the unit amount, an empty field counting as 0', () => {
    expect(typedContribution('3', line)).toBe(375_150);
    expect(typedContribution(' 10 ', line)).toBe(1_250_500);
    expect(typedContribution('', line)).toBe(0);
  });

  it('has no amount for text that is no whole number within the maximum', () => {
    expect(['-4', '2,5', 'veel', '11', '1e3'].map((typed) => typedContribution(typed, line))).toEqual([null, null, null, null, null]);
  });
});

describe('application workflow', () => {
  it('allows each transition to one role only, from the right statuses', () => {
    expect(transitionRefusal('submit', 'concept', 'municipal-officer')).toBeNull();
    expect(transitionRefusal('submit', 'terug-naar-aanvrager', 'municipal-officer')).toBeNull();
    expect(transitionRefusal('submit', 'concept', 'abb-reviewer')).toMatchObject({ code: 'not_permitted', message: expect.stringMatching(/andere rol/) });
    expect(transitionRefusal('approve', 'in-behandeling', 'abb-reviewer')).toBeNull();
    expect(transitionRefusal('approve', 'in-behandeling', 'abb-administrator')).toMatchObject({
      code: 'not_permitted',
      message: expect.stringMatching(/andere rol/),
    });
    expect(transitionRefusal('approve', 'ingediend', 'abb-reviewer')).toMatchObject({ code: 'conflict', message: expect.stringMatching(/"Ingediend"/) });
    expect(transitionRefusal('reopen', 'ingediend', 'abb-administrator')).toBeNull();
    expect(isEditable('concept')).toBe(true);
    expect(isEditable('ingediend')).toBe(false);
  });

  it('extends a KPI line at 25 % of the confirmed quantity, on a positive evaluation, or with an override reason', () => {
    const line = { confirmedQuantity: 100, interimRealised: 24, positiveEvaluation: false, overrideReason: null };
    expect(mayExtend(line, 25)).toBe(false);
    expect(mayExtend({ ...line, interimRealised: 25 }, 25)).toBe(true);
    expect(mayExtend({ ...line, positiveEvaluation: true }, 25)).toBe(true);
    expect(mayExtend({ ...line, overrideReason: '  ' }, 25)).toBe(false);
    expect(mayExtend({ ...line, overrideReason: 'Vertraging door externe partner' }, 25)).toBe(true);
    expect(mayExtend({ ...line, interimRealised: null }, 25)).toBe(false);
  });
});
