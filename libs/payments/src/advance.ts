import { Cents } from '@ps/kernel';

/** The share of the confirmed amount a call pays up front when not set otherwise (the call's advancePercent). */
export const DEFAULT_ADVANCE_PERCENT = 80;

export interface AdvanceAndBalance {
  advanceCents: Cents;
  balanceCents: Cents;
}

/**
 * The advance is the call's share (80 % by default, `call.advancePercent`) of the confirmed amount,
 * rounded down to the cent; the balance is the rest, so the two add up exactly.
 */
export function advanceAndBalance(totalCents: Cents, advancePercent: number): AdvanceAndBalance {
  const advanceCents = Math.floor((totalCents * advancePercent) / 100);
  return { advanceCents, balanceCents: totalCents - advanceCents };
}

/** The share paid after the final report: what the advance leaves. */
export function balancePercent(advancePercent: number): number {
  return 100 - advancePercent;
}
