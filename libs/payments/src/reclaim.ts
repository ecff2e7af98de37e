import { assertCents, Cents, sumCents } from '@ps/kernel';

/**
 * How a call reclaims subsidy for KPI lines that were not realised. A call either reclaims nothing ("none") or pro rata:
 * a line outside the tolerance gives back its allocated amount times its unrealised share (`settlementReclaim` applies
 * the call's rule to one settlement line).
 * The tolerance is a threshold, not a deductible: a line that misses by more than the tolerance
 * gives back its whole unrealised share, not only the part beyond the tolerance.
 */
export interface ReclaimPolicy {
  kind: 'pro-rata-unrealised';
  /** Whole percent 0..100 of the confirmed quantity that may go unrealised without any reclaim (inclusive). */
  tolerancePercent: number;
}

/** 10 % tolerance: a line realised for at least 90 % of its confirmed quantity keeps all its money. Assumed; a per-call setting. */
export const DEFAULT_RECLAIM_POLICY: ReclaimPolicy = { kind: 'pro-rata-unrealised', tolerancePercent: 10 };

export interface ReclaimLineInput {
  kpiLineId: number;
  confirmedQuantity: number;
  realisedQuantity: number;
  allocatedCents: Cents;
  /** ABB accepted the applicant's motivation for this line: nothing is reclaimed. */
  waived: boolean;
}

export interface ReclaimLine {
  kpiLineId: number;
  unrealisedQuantity: number;
  /** For display only (rounded to two decimals); the tolerance test uses exact integers. */
  unrealisedPercent: number;
  withinTolerance: boolean;
  waived: boolean;
  reclaimCents: Cents;
}

export interface Reclaim {
  lines: ReclaimLine[];
  reclaimCents: Cents;
}

export interface BalanceAfterReclaim {
  /** Negative when the advance and the reclaim exceed the allocated amount: the applicant owes the difference. */
  balanceCents: Cents;
  toPayCents: Cents;
  toRecoverCents: Cents;
}

function assertCount(value: number, label: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${label} must be a whole number of at least 0, got ${value}`);
  return value;
}

function assertAmount(value: Cents, label: string): Cents {
  assertCents(value, label);
  if (value < 0) throw new RangeError(`${label} must not be negative, got ${value}`);
  return value;
}

function assertPolicy(policy: ReclaimPolicy): void {
  if (policy.kind !== 'pro-rata-unrealised') throw new RangeError(`unknown reclaim rule "${String(policy.kind)}"`);
  const tolerance = policy.tolerancePercent;
  if (!Number.isInteger(tolerance) || tolerance < 0 || tolerance > 100) {
    throw new RangeError(`the reclaim tolerance must be a whole percent from 0 to 100, got ${tolerance}`);
  }
}

function assertLine(line: ReclaimLineInput): void {
  const label = `KPI line ${line.kpiLineId}`;
  assertCount(line.kpiLineId, 'a KPI line id');
  assertCount(line.confirmedQuantity, `${label}: the confirmed quantity`);
  assertCount(line.realisedQuantity, `${label}: the realised quantity`);
  assertAmount(line.allocatedCents, `${label}: the allocated amount`);
  if (typeof line.waived !== 'boolean') throw new RangeError(`${label}: waived must be true or false`);
}

function assertDistinct(lines: ReclaimLineInput[]): void {
  const ids = new Set(lines.map((line) => line.kpiLineId));
  if (ids.size !== lines.length) throw new RangeError('every KPI line may appear only once in a reclaim');
}

function displayPercent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 100;
}

/** Rounded down: the applicant never gives back a fraction of a cent more than the exact share. */
function proRataCents(allocatedCents: Cents, unrealised: number, confirmed: number): Cents {
  return Number((BigInt(allocatedCents) * BigInt(unrealised)) / BigInt(confirmed));
}

function reclaimLine(line: ReclaimLineInput, tolerancePercent: number): ReclaimLine {
  const confirmed = line.confirmedQuantity;
  // Realising more than confirmed earns nothing extra: the unrealised part is never negative.
  const unrealised = Math.max(0, confirmed - line.realisedQuantity);
  const withinTolerance = BigInt(unrealised) * 100n <= BigInt(tolerancePercent) * BigInt(confirmed);
  const reclaimCents = confirmed === 0 || withinTolerance || line.waived ? 0 : proRataCents(line.allocatedCents, unrealised, confirmed);
  return {
    kpiLineId: line.kpiLineId,
    unrealisedQuantity: unrealised,
    unrealisedPercent: displayPercent(unrealised, confirmed),
    withinTolerance,
    waived: line.waived,
    reclaimCents,
  };
}

/** What to reclaim per confirmed KPI line and in total, under the call's reclaim rule. */
export function reclaimFor(lines: ReclaimLineInput[], policy: ReclaimPolicy): Reclaim {
  assertPolicy(policy);
  lines.forEach(assertLine);
  assertDistinct(lines);
  const reclaimLines = lines.map((line) => reclaimLine(line, policy.tolerancePercent));
  return { lines: reclaimLines, reclaimCents: sumCents(reclaimLines.map((line) => line.reclaimCents)) };
}

/** The balance once the advance is paid and the reclaim deducted: either still to pay or to recover, never both. */
export function balanceAfterReclaim(allocatedCents: Cents, advanceCents: Cents, reclaimCents: Cents): BalanceAfterReclaim {
  assertAmount(allocatedCents, 'the allocated amount');
  assertAmount(advanceCents, 'the advance');
  assertAmount(reclaimCents, 'the reclaim');
  if (reclaimCents > allocatedCents) throw new RangeError(`the reclaim (${reclaimCents}) cannot exceed the allocated amount (${allocatedCents})`);
  const balanceCents = assertCents(allocatedCents - advanceCents - reclaimCents, 'the balance');
  return { balanceCents, toPayCents: Math.max(0, balanceCents), toRecoverCents: Math.max(0, -balanceCents) };
}

/** A call's reclaim rule as ABB sets it: pro rata to the unrealised share with the call's tolerance, or none at all. */
export interface CallReclaimRule {
  kind: 'pro-rata' | 'none';
  tolerancePercent: number;
}

export interface SettlementLineInput extends Omit<ReclaimLineInput, 'realisedQuantity'> {
  /** Null until ABB records the final realised quantity. */
  realisedQuantity: number | null;
}

/**
 * One line of a settlement under its call's rule, with the policy's two edge cases: a call whose rule is "none"
 * reclaims nothing, and a line without a final realised quantity yet counts as fully realised, so nothing is
 * reclaimed for it until ABB records one. The tolerance and unrealised share are still shown under "none".
 */
export function settlementReclaim(line: SettlementLineInput, rule: CallReclaimRule): ReclaimLine {
  const realised = line.realisedQuantity ?? line.confirmedQuantity;
  const [computed] = reclaimFor([{ ...line, realisedQuantity: realised }], { kind: 'pro-rata-unrealised', tolerancePercent: rule.tolerancePercent }).lines;
  return line.realisedQuantity === null || rule.kind === 'none' ? { ...computed, reclaimCents: 0 } : computed;
}
