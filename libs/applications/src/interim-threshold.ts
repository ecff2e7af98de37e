/**
 * The 25 % rule (PLAN-SAMENLEVEN.md): a KPI line's interim report reaches the call's threshold when the realised
 * quantity is at least that share of the confirmed quantity (25 % by default). It decides which lines may be
 * extended into the next project year and which reports ABB sees flagged in its review queue. Compared exactly in
 * integers (realised × 100 ≥ confirmed × percent), never through a rounded percentage.
 */
export function reachesInterimThreshold(confirmed: number, realised: number, thresholdPercent: number): boolean {
  return realised * 100 >= confirmed * thresholdPercent;
}
