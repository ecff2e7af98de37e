import fc from 'fast-check';
import {
  Allocation,
  AllocationPolicy,
  allocate,
  Claim,
  ClaimLine,
  DEFAULT_POLICY,
  priorityRound,
  roundLabel,
  RoundName,
  STIMULUS_KINDS,
} from './allocation-rules';

const STIMULI_LAST: AllocationPolicy = { kind: 'priority-rounds', stimuliFirst: false };
const PRO_RATA: AllocationPolicy = { kind: 'pro-rata' };

const line = (kpiLineId: number, actionNumber: number, priority: number | null, amountCents: number): ClaimLine => ({
  kpiLineId,
  actionNumber,
  priority,
  amountCents,
});
const lineClaim = (applicantId: number, ...lines: ClaimLine[]): Claim => ({ applicantId, lines, stimuli: [] });
const applicant = (allocation: Allocation, applicantId: number) => allocation.applicants.find((a) => a.applicantId === applicantId)!;
const allocatedLines = (allocation: Allocation) => allocation.applicants.flatMap((a) => a.lines.map((l) => [a.applicantId, l.kpiLineId, l.allocatedCents]));

/**
 * Applicant 1: cooperation stimulus €10.000; action 5 (priority 1) with two KPI lines, action 9 (priority 2).
 * Applicant 2: mentorship €5.000; action 2 (priority 1), action 12 without priority.
 */
const twoApplicants: Claim[] = [
  {
    applicantId: 2,
    lines: [line(41, 12, null, 400_000), line(11, 2, 1, 1_000_000)],
    stimuli: [{ kind: 'mentorship', cents: 500_000 }],
  },
  {
    applicantId: 1,
    lines: [line(31, 9, 2, 3_000_000), line(22, 5, 1, 800_000), line(21, 5, 1, 1_200_000)],
    stimuli: [{ kind: 'cooperation', cents: 1_000_000 }],
  },
];

describe('allocation: worked examples', () => {
  it('scales one priority round to the budget with the largest remainders (333/333/334 sharing 900)', () => {
    // Exact shares 299.7, 299.7, 300.6: floors 299 + 299 + 300 = 898; the 2 cents left go to the two .7 remainders.
    const result = allocate(900, [lineClaim(3, line(3, 1, 1, 334)), lineClaim(1, line(1, 1, 1, 333)), lineClaim(2, line(2, 1, 1, 333))], DEFAULT_POLICY);
    expect(allocatedLines(result)).toEqual([
      [1, 1, 300],
      [2, 2, 300],
      [3, 3, 300],
    ]);
    expect(result.rounds).toEqual([
      { round: 'priority-1', confirmedCents: 1000, availableCents: 900, allocatedCents: 900, outcome: 'scaled', scale: { numerator: '9', denominator: '10' } },
    ]);
    expect(result).toMatchObject({ budgetCents: 900, confirmedCents: 1000, allocatedCents: 900, fits: false });
  });

  it('breaks equal remainders by applicantId, then stimuli before lines, then actionNumber, then kpiLineId', () => {
    const threeEqual = allocate(100, [lineClaim(3, line(1, 1, 1, 50)), lineClaim(1, line(1, 1, 1, 50)), lineClaim(2, line(1, 1, 1, 50))], DEFAULT_POLICY);
    expect(allocatedLines(threeEqual)).toEqual([
      [1, 1, 34],
      [2, 1, 33],
      [3, 1, 33],
    ]);

    const stimulusAndLine = allocate(1, [{ applicantId: 1, lines: [line(1, 1, null, 50)], stimuli: [{ kind: 'impactBond', cents: 50 }] }], PRO_RATA);
    expect(stimulusAndLine.applicants[0].stimuli[0].allocatedCents).toBe(1);
    expect(stimulusAndLine.applicants[0].lines[0].allocatedCents).toBe(0);

    const stimuli = allocate(1, [{ applicantId: 1, lines: [], stimuli: STIMULUS_KINDS.map((kind) => ({ kind, cents: 10 })).reverse() }], DEFAULT_POLICY);
    expect(stimuli.applicants[0].stimuli.map((s) => [s.kind, s.allocatedCents])).toEqual([
      ['cooperation', 1],
      ['mentorship', 0],
      ['impactBond', 0],
    ]);

    const lines = allocate(2, [lineClaim(1, line(9, 7, 1, 10), line(8, 3, 1, 10), line(7, 7, 1, 10))], DEFAULT_POLICY);
    expect(lines.applicants[0].lines.map((l) => [l.actionNumber, l.kpiLineId, l.allocatedCents])).toEqual([
      [3, 8, 1],
      [7, 7, 1],
      [7, 9, 0],
    ]);
  });

  it('pays the stimuli first, scales the first round that does not fit and gives later rounds nothing', () => {
    // Stimuli 1.5M fit; priority 1 asks 3M of the 2.5M left: scale 5/6 → 1.000.000 + 666.666,67 + 833.333,33.
    const result = allocate(4_000_000, twoApplicants, DEFAULT_POLICY);
    expect(result.rounds).toEqual([
      { round: 'stimuli', confirmedCents: 1_500_000, availableCents: 4_000_000, allocatedCents: 1_500_000, outcome: 'full' },
      {
        round: 'priority-1',
        confirmedCents: 3_000_000,
        availableCents: 2_500_000,
        allocatedCents: 2_500_000,
        outcome: 'scaled',
        scale: { numerator: '5', denominator: '6' },
      },
      { round: 'priority-2', confirmedCents: 3_000_000, availableCents: 0, allocatedCents: 0, outcome: 'none' },
      { round: 'unprioritised', confirmedCents: 400_000, availableCents: 0, allocatedCents: 0, outcome: 'none' },
    ]);
    expect(applicant(result, 1)).toEqual({
      applicantId: 1,
      confirmedCents: 6_000_000,
      allocatedCents: 2_666_667,
      lines: [
        { kpiLineId: 21, actionNumber: 5, priority: 1, confirmedCents: 1_200_000, allocatedCents: 1_000_000, round: 'priority-1' },
        { kpiLineId: 22, actionNumber: 5, priority: 1, confirmedCents: 800_000, allocatedCents: 666_667, round: 'priority-1' },
        { kpiLineId: 31, actionNumber: 9, priority: 2, confirmedCents: 3_000_000, allocatedCents: 0, round: 'priority-2' },
      ],
      stimuli: [{ kind: 'cooperation', confirmedCents: 1_000_000, allocatedCents: 1_000_000, round: 'stimuli' }],
      actions: [
        { actionNumber: 5, priority: 1, confirmedCents: 2_000_000, allocatedCents: 1_666_667 },
        { actionNumber: 9, priority: 2, confirmedCents: 3_000_000, allocatedCents: 0 },
      ],
      explanation: [
        { round: 'stimuli', confirmedCents: 1_000_000, allocatedCents: 1_000_000, outcome: 'full' },
        { round: 'priority-1', confirmedCents: 2_000_000, allocatedCents: 1_666_667, outcome: 'scaled' },
        { round: 'priority-2', confirmedCents: 3_000_000, allocatedCents: 0, outcome: 'none' },
      ],
    });
    expect(applicant(result, 2).explanation).toEqual([
      { round: 'stimuli', confirmedCents: 500_000, allocatedCents: 500_000, outcome: 'full' },
      { round: 'priority-1', confirmedCents: 1_000_000, allocatedCents: 833_333, outcome: 'scaled' },
      { round: 'unprioritised', confirmedCents: 400_000, allocatedCents: 0, outcome: 'none' },
    ]);
  });

  it('without stimuliFirst puts the stimuli in the last round, with the lines without priority', () => {
    // Priorities 1 and 2 (6M) fit; the 950.000 left is half of the last round (1.9M).
    const result = allocate(6_950_000, twoApplicants, STIMULI_LAST);
    expect(result.rounds.map((r) => [r.round, r.confirmedCents, r.allocatedCents, r.outcome])).toEqual([
      ['priority-1', 3_000_000, 3_000_000, 'full'],
      ['priority-2', 3_000_000, 3_000_000, 'full'],
      ['unprioritised', 1_900_000, 950_000, 'scaled'],
    ]);
    expect(applicant(result, 1).stimuli).toEqual([{ kind: 'cooperation', confirmedCents: 1_000_000, allocatedCents: 500_000, round: 'unprioritised' }]);
    expect(applicant(result, 2).stimuli[0].allocatedCents).toBe(250_000);
    expect(applicant(result, 2).lines.find((l) => l.kpiLineId === 41)?.allocatedCents).toBe(200_000);
  });

  it('pro rata scales everything, stimuli and lines, in one round', () => {
    const result = allocate(3_950_000, twoApplicants, PRO_RATA);
    expect(result.rounds).toEqual([
      {
        round: 'pro-rata',
        confirmedCents: 7_900_000,
        availableCents: 3_950_000,
        allocatedCents: 3_950_000,
        outcome: 'scaled',
        scale: { numerator: '1', denominator: '2' },
      },
    ]);
    expect(result.applicants.map((a) => [a.applicantId, a.allocatedCents, a.stimuli[0].allocatedCents])).toEqual([
      [1, 3_000_000, 500_000],
      [2, 950_000, 250_000],
    ]);
    expect(result.policy).toEqual(PRO_RATA);
  });

  it('pays everyone the confirmed amount when the total fits, whatever the policy', () => {
    for (const policy of [DEFAULT_POLICY, STIMULI_LAST, PRO_RATA]) {
      const result = allocate(10_000_000, twoApplicants, policy);
      expect(result).toMatchObject({ fits: true, confirmedCents: 7_900_000, allocatedCents: 7_900_000 });
      expect(result.rounds.every((r) => r.outcome === 'full' && r.scale === undefined)).toBe(true);
      expect(result.applicants.flatMap((a) => [...a.lines, ...a.stimuli]).every((item) => item.allocatedCents === item.confirmedCents)).toBe(true);
    }
    expect(allocate(10_000_000, twoApplicants, DEFAULT_POLICY).rounds.map((r) => [r.round, r.availableCents])).toEqual([
      ['stimuli', 10_000_000],
      ['priority-1', 8_500_000],
      ['priority-2', 5_500_000],
      ['unprioritised', 2_500_000],
    ]);
  });

  it('gives nothing from a budget of 0, and lets empty claims and zero amounts through', () => {
    const result = allocate(0, twoApplicants, DEFAULT_POLICY);
    expect(result).toMatchObject({ allocatedCents: 0, fits: false });
    expect(result.rounds.map((r) => r.outcome)).toEqual(['none', 'none', 'none', 'none']);

    const nothingAsked = allocate(0, [lineClaim(1, line(1, 1, 1, 0)), { applicantId: 2, lines: [], stimuli: [] }], DEFAULT_POLICY);
    expect(nothingAsked).toMatchObject({ fits: true, confirmedCents: 0, allocatedCents: 0 });
    expect(nothingAsked.applicants.map((a) => [a.applicantId, a.allocatedCents, a.explanation.length])).toEqual([
      [1, 0, 1],
      [2, 0, 0],
    ]);
    expect(allocate(5, [], PRO_RATA)).toMatchObject({ rounds: [], applicants: [], allocatedCents: 0, fits: true });
  });

  it('stays exact to the cent with amounts of 1e12 cents, where doubles lose precision', () => {
    // Shares (1e12 + 1) / 3 and 2 × (1e12 + 1) / 3: floors 333.333.333.333 and 666.666.666.667, the cent left goes to the .667.
    const result = allocate(1e12 + 1, [lineClaim(1, line(1, 1, 1, 1e12)), lineClaim(2, line(2, 1, 1, 2e12))], DEFAULT_POLICY);
    expect(allocatedLines(result)).toEqual([
      [1, 1, 333_333_333_334],
      [2, 2, 666_666_666_667],
    ]);
    expect(result.rounds[0].scale).toEqual({ numerator: '1000000000001', denominator: '3000000000000' });
  });

  it('cuts the second round of three applicants: the worked example of docs/allocation.md', () => {
    // | applicant | priority 1     | priority 2            | priority 3 | allocated |
    // |-----------|----------------|-----------------------|------------|-----------|
    // | 1         | €4.000 → 4.000 | €3.000 → 1.000        |            | €5.000,00 |
    // | 2         | €2.500 → 2.500 | €1.000 →   333,33     | €500 → 0   | €2.833,33 |
    // | 3         | €1.500 → 1.500 | €2.000 →   666,66 + 1 |            | €2.166,67 |
    // Budget €10.000: priority 1 (€8.000) fits; €2.000 is left for priority 2 (€6.000): scale 1/3. Floors 100.000 + 33.333 + 66.666
    // leave one cent, for the largest remainder: applicant 3 (2/3 of a cent) before applicant 2 (1/3).
    const claims = [
      lineClaim(1, line(1, 1, 1, 400_000), line(2, 2, 2, 300_000)),
      lineClaim(2, line(3, 3, 1, 250_000), line(4, 4, 2, 100_000), line(5, 5, 3, 50_000)),
      lineClaim(3, line(6, 6, 1, 150_000), line(7, 7, 2, 200_000)),
    ];
    const result = allocate(1_000_000, claims, DEFAULT_POLICY);
    expect(result.rounds.map((r) => [r.round, r.confirmedCents, r.availableCents, r.allocatedCents, r.outcome, r.scale])).toEqual([
      ['priority-1', 800_000, 1_000_000, 800_000, 'full', undefined],
      ['priority-2', 600_000, 200_000, 200_000, 'scaled', { numerator: '1', denominator: '3' }],
      ['priority-3', 50_000, 0, 0, 'none', undefined],
    ]);
    expect(allocatedLines(result)).toEqual([
      [1, 1, 400_000],
      [1, 2, 100_000],
      [2, 3, 250_000],
      [2, 4, 33_333],
      [2, 5, 0],
      [3, 6, 150_000],
      [3, 7, 66_667],
    ]);
    expect(result.applicants.map((a) => a.allocatedCents)).toEqual([500_000, 283_333, 216_667]);
  });

  it('labels the rounds in Dutch', () => {
    const rounds: RoundName[] = ['stimuli', priorityRound(1), priorityRound(12), 'unprioritised', 'pro-rata'];
    expect(rounds.map(roundLabel)).toEqual(['Stimulansen', 'Prioriteit 1', 'Prioriteit 12', 'Zonder prioriteit', 'Pro rata']);
  });
});

describe('allocation: refused inputs', () => {
  it.each([
    ['a negative budget', () => allocate(-1, [], DEFAULT_POLICY)],
    ['a fractional budget', () => allocate(10.5, [], DEFAULT_POLICY)],
    ['a budget beyond safe integers', () => allocate(2 ** 53, [], DEFAULT_POLICY)],
    ['NaN as budget', () => allocate(Number.NaN, [], DEFAULT_POLICY)],
    ['an applicant twice', () => allocate(10, [lineClaim(1), lineClaim(1)], DEFAULT_POLICY)],
    ['a KPI line twice', () => allocate(10, [lineClaim(1, line(1, 1, 1, 5), line(1, 2, 2, 5))], DEFAULT_POLICY)],
    ['a negative amount', () => allocate(10, [lineClaim(1, line(1, 1, 1, -5))], DEFAULT_POLICY)],
    ['a fractional amount', () => allocate(10, [lineClaim(1, line(1, 1, 1, 0.5))], DEFAULT_POLICY)],
    ['priority 0', () => allocate(10, [lineClaim(1, line(1, 1, 0, 5))], DEFAULT_POLICY)],
    ['a fractional priority', () => allocate(10, [lineClaim(1, line(1, 1, 1.5, 5))], DEFAULT_POLICY)],
    ['two priorities for one action', () => allocate(10, [lineClaim(1, line(1, 4, 1, 5), line(2, 4, null, 5))], DEFAULT_POLICY)],
    [
      'a stimulus kind twice',
      () =>
        allocate(
          10,
          [
            {
              applicantId: 1,
              lines: [],
              stimuli: [
                { kind: 'mentorship', cents: 1 },
                { kind: 'mentorship', cents: 2 },
              ],
            },
          ],
          DEFAULT_POLICY,
        ),
    ],
    ['a negative stimulus', () => allocate(10, [{ applicantId: 1, lines: [], stimuli: [{ kind: 'cooperation', cents: -1 }] }], DEFAULT_POLICY)],
    ['an unknown policy', () => allocate(10, [], { kind: 'lottery' } as unknown as AllocationPolicy)],
  ])('refuses %s with a RangeError', (_, run) => {
    expect(run).toThrow(RangeError);
  });
});

// ---- properties ----

const amountArb = fc.oneof(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 0, max: 1e12 }));
const priorityArb = fc.option(fc.integer({ min: 1, max: 4 }), { nil: null });
const ACTIONS = 6;

const claimArb: fc.Arbitrary<Claim> = fc
  .record({
    applicantId: fc.integer({ min: 1, max: 1_000 }),
    actionPriorities: fc.array(priorityArb, { minLength: ACTIONS, maxLength: ACTIONS }),
    lines: fc.uniqueArray(
      fc.record({ kpiLineId: fc.integer({ min: 1, max: 60 }), actionNumber: fc.integer({ min: 0, max: ACTIONS - 1 }), amountCents: amountArb }),
      {
        selector: (l) => l.kpiLineId,
        maxLength: 6,
      },
    ),
    stimuli: fc.uniqueArray(fc.record({ kind: fc.constantFrom(...STIMULUS_KINDS), cents: amountArb }), { selector: (s) => s.kind, maxLength: 3 }),
  })
  .map(({ applicantId, actionPriorities, lines, stimuli }) => ({
    applicantId,
    lines: lines.map((l) => ({ ...l, priority: actionPriorities[l.actionNumber] })),
    stimuli,
  }));

const policyArb = fc.constantFrom<AllocationPolicy>(DEFAULT_POLICY, STIMULI_LAST, PRO_RATA);

const scenarioArb = fc
  .record({
    claims: fc.uniqueArray(claimArb, { selector: (c) => c.applicantId, maxLength: 6 }),
    policy: policyArb,
    budgetPerMille: fc.integer({ min: 0, max: 1_200 }),
    extraCents: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ claims, policy, budgetPerMille, extraCents }) => {
    const total = claims.flatMap((c) => [...c.lines.map((l) => l.amountCents), ...c.stimuli.map((s) => s.cents)]).reduce((a, b) => a + b, 0);
    const budgetCents = Number((BigInt(total) * BigInt(budgetPerMille)) / 1000n) + extraCents;
    return { claims, policy, budgetCents, total };
  });

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const RUNS = { numRuns: 200 };

function shuffled<T>(values: T[], seed: number): T[] {
  const copy = [...values];
  let state = seed >>> 0;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

describe('allocation: invariants', () => {
  it('allocates exactly min(budget, total confirmed), and the totals add up per round, applicant and action', () => {
    fc.assert(
      fc.property(scenarioArb, ({ claims, policy, budgetCents, total }) => {
        const result = allocate(budgetCents, claims, policy);
        expect(result.confirmedCents).toBe(total);
        expect(result.allocatedCents).toBe(Math.min(budgetCents, total));
        expect(result.fits).toBe(total <= budgetCents);
        expect(sum(result.rounds.map((r) => r.allocatedCents))).toBe(result.allocatedCents);
        expect(sum(result.applicants.map((a) => a.allocatedCents))).toBe(result.allocatedCents);
        for (const a of result.applicants) {
          const items = [...a.lines, ...a.stimuli];
          expect(sum(items.map((i) => i.allocatedCents))).toBe(a.allocatedCents);
          expect(sum(items.map((i) => i.confirmedCents))).toBe(a.confirmedCents);
          expect(sum(a.explanation.map((step) => step.allocatedCents))).toBe(a.allocatedCents);
          expect(sum(a.actions.map((action) => action.allocatedCents))).toBe(sum(a.lines.map((l) => l.allocatedCents)));
          for (const action of a.actions) {
            const own = a.lines.filter((l) => l.actionNumber === action.actionNumber);
            expect([sum(own.map((l) => l.confirmedCents)), sum(own.map((l) => l.allocatedCents))]).toEqual([action.confirmedCents, action.allocatedCents]);
          }
          expect(a.actions.map((action) => action.actionNumber)).toEqual([...new Set(a.lines.map((l) => l.actionNumber))].sort((x, y) => x - y));
        }
      }),
      RUNS,
    );
  });

  it('gives every line and stimulus between 0 and its confirmed amount, within one cent of its exact share', () => {
    fc.assert(
      fc.property(scenarioArb, ({ claims, policy, budgetCents }) => {
        const result = allocate(budgetCents, claims, policy);
        const rounds = new Map(result.rounds.map((r) => [r.round, r]));
        for (const item of result.applicants.flatMap((a) => [...a.lines, ...a.stimuli])) {
          expect(item.allocatedCents).toBeGreaterThanOrEqual(0);
          expect(item.allocatedCents).toBeLessThanOrEqual(item.confirmedCents);
          const round = rounds.get(item.round)!;
          if (round.outcome === 'full') expect(item.allocatedCents).toBe(item.confirmedCents);
          if (round.outcome === 'none') expect(item.allocatedCents).toBe(0);
          // |allocated × T − amount × A| < T: off from the exact share by less than one cent.
          const error = BigInt(item.allocatedCents) * BigInt(round.confirmedCents) - BigInt(item.confirmedCents) * BigInt(round.availableCents);
          if (round.outcome === 'scaled') expect(error < BigInt(round.confirmedCents) && -error < BigInt(round.confirmedCents)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('never cuts an earlier (higher-priority) round while a later one gets money, and orders the rounds', () => {
    fc.assert(
      fc.property(scenarioArb, ({ claims, policy, budgetCents }) => {
        const result = allocate(budgetCents, claims, policy);
        const cut = result.rounds.findIndex((r) => r.allocatedCents < r.confirmedCents);
        if (cut >= 0) expect(result.rounds.slice(cut + 1).every((r) => r.allocatedCents === 0)).toBe(true);
        expect(result.rounds.filter((r) => r.outcome === 'scaled').length).toBeLessThanOrEqual(1);
        const rank = (round: RoundName) =>
          round === 'stimuli' || round === 'pro-rata' ? 0 : round === 'unprioritised' ? Infinity : Number(round.slice('priority-'.length));
        const ranks = result.rounds.map((r) => rank(r.round));
        expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
        if (policy.kind === 'pro-rata') expect(result.rounds.length).toBeLessThanOrEqual(1);
        if (policy.kind === 'priority-rounds' && !policy.stimuliFirst) expect(result.rounds.some((r) => r.round === 'stimuli')).toBe(false);
      }),
      RUNS,
    );
  });

  it('gives the same result whatever the order of claims, lines and stimuli', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer(), ({ claims, policy, budgetCents }, seed) => {
        const permuted = shuffled(claims, seed).map((c, i) => ({ ...c, lines: shuffled(c.lines, seed + i), stimuli: shuffled(c.stimuli, seed - i) }));
        expect(allocate(budgetCents, permuted, policy)).toEqual(allocate(budgetCents, claims, policy));
      }),
      RUNS,
    );
  });

  it('never lowers a line or stimulus by more than one cent when the budget grows (the Alabama paradox is bounded by a cent)', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 1, max: 10_000_000 }), ({ claims, policy, budgetCents }, more) => {
        const amounts = (allocation: Allocation) =>
          allocation.applicants.flatMap((a) => [...a.stimuli.map((s) => s.allocatedCents), ...a.lines.map((l) => l.allocatedCents)]);
        const before = amounts(allocate(budgetCents, claims, policy));
        const after = amounts(allocate(budgetCents + more, claims, policy));
        after.forEach((cents, index) => expect(cents).toBeGreaterThanOrEqual(before[index] - 1));
      }),
      RUNS,
    );
  });

  it('gives the same output for the same input, every time', () => {
    fc.assert(
      fc.property(scenarioArb, ({ claims, policy, budgetCents }) => {
        expect(allocate(budgetCents, structuredClone(claims), policy)).toEqual(allocate(budgetCents, claims, policy));
      }),
      RUNS,
    );
  });

  it('returns plain data that survives JSON and leaves the input untouched', () => {
    fc.assert(
      fc.property(scenarioArb, ({ claims, policy, budgetCents }) => {
        const before = structuredClone(claims);
        const result = allocate(budgetCents, claims, policy);
        expect(claims).toEqual(before);
        expect(JSON.parse(JSON.stringify(result))).toEqual(result);
      }),
      RUNS,
    );
  });
});
