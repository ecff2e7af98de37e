import { ApprovedFixture, CallFixture, CallOptions, Factories, SubmittedFixture } from './factories';

export interface AllocationFixture {
  call: CallFixture;
  a: ApprovedFixture;
  b: ApprovedFixture;
  c: ApprovedFixture;
  d: SubmittedFixture;
}

/**
 * The small call of issue 10's tests, chosen so every figure can be computed by hand: budget €15.000; units €1.000 (action 5) and €500 (action 9).
 *   A: action 5 (priority 1) 10 × €1.000 = €10.000, action 9 (priority 2) 4 × €500 = €2.000      → €12.000
 *   B: action 9 (priority 1) 6 × €500 = €3.000, action 5 (priority 2) 3 × €1.000 = €3.000         → €6.000
 *   C: action 5 (priority 1) 1 × €1.000, mentorship stimulus €2.500                                → €3.500
 * Confirmed in all: €21.500. D is submitted and awaits review.
 */
export async function threeApprovedAndOnePending(f: Factories, settings: CallOptions['settings'] = {}): Promise<AllocationFixture> {
  const call = await f.aCall({
    settings: { budgetEuro: 15000, mentorshipStimulusEuro: 2500, ...settings },
    kpiLines: [
      { action: 5, unitAmountEuro: 1000, maxQuantity: 100 },
      { action: 9, unitAmountEuro: 500, maxQuantity: 100 },
    ],
  });
  const a = await f.anApprovedApplication(call, {
    lines: [
      { action: 5, planned: 10 },
      { action: 9, planned: 4 },
    ],
  });
  const b = await f.anApprovedApplication(call, {
    lines: [
      { action: 9, planned: 6 },
      { action: 5, planned: 3 },
    ],
  });
  const c = await f.anApprovedApplication(call, { lines: [{ action: 5, planned: 1 }], stimuli: { mentorship: { action: 5, granted: true } } });
  const d = await f.aSubmittedApplication(call, { lines: [{ action: 5, planned: 2 }] });
  return { call, a, b, c, d };
}
