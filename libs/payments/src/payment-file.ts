import { DateTime } from 'luxon';
import { BRUSSELS, Cents, FieldErrors } from '@ps/kernel';
import { CreditTransfer, isSepaId } from './sepa-credit-transfer';
import { PaymentKind, plainReference } from './structured-communication';

/**
 * What goes into the SEPA file of a released payment list, and when the bank is asked to pay it. The file pays
 * advances and balances (credit transfers from ABB to the applicant), each to the applicant's confirmed payout
 * account as it is now; a recovery is money the applicant pays back, so it never is a credit transfer.
 */

/** One payment of a released list, as the file needs it. */
export interface ReleasedPayment {
  applicantId: number;
  applicantNameNl: string;
  kind: PaymentKind;
  amountCents: Cents;
  reference: string;
}

export interface FileSelection {
  transfers: CreditTransfer[];
  /** Recoveries stay out: the applicant transfers them to ABB with their structured communication. */
  recoveries: ReleasedPayment[];
  /** Credit transfers whose applicant has no confirmed payout account: the file is refused while there is one. */
  withoutAccount: ReleasedPayment[];
}

/**
 * The credit transfers of a released list: advances and balances above zero, each to `confirmedIbans` (the
 * applicant's confirmed payout account, never a pending one). A payment whose applicant has none is set apart.
 */
export function creditTransfersOf(payments: ReleasedPayment[], confirmedIbans: ReadonlyMap<number, string | null>): FileSelection {
  const selection: FileSelection = { transfers: [], recoveries: [], withoutAccount: [] };
  for (const payment of payments) {
    if (payment.kind === 'recovery') selection.recoveries.push(payment);
    else if (payment.amountCents <= 0) continue;
    else {
      const iban = confirmedIbans.get(payment.applicantId) ?? null;
      if (iban === null) selection.withoutAccount.push(payment);
      else
        selection.transfers.push({
          endToEndId: endToEndIdOf(payment.reference),
          beneficiaryName: payment.applicantNameNl,
          iban,
          amountCents: payment.amountCents,
          communication: payment.reference,
        });
    }
  }
  return selection;
}

/** A released payment with the release it belongs to: the approved proposal, or none for a list released before four eyes. */
export interface ReleasedRow extends ReleasedPayment {
  releasedAt: Date;
  releaseProposalId: number | null;
}

/** One released payment list of a run: its number (1, 2, … in the order released), when, and its payments. */
export interface PaymentRelease {
  number: number;
  releasedAt: Date;
  payments: ReleasedPayment[];
}

/**
 * A run's released payments as the lists they were released in: one per approved release proposal, and one for what
 * was released before four eyes, numbered in the order they were released. A list never changes once released and
 * a later one only comes after it, so the numbers stay the same.
 */
export function releasesOf(rows: ReleasedRow[]): PaymentRelease[] {
  const groups = new Map<number | null, ReleasedRow[]>();
  for (const row of rows) groups.set(row.releaseProposalId, [...(groups.get(row.releaseProposalId) ?? []), row]);
  const first = (group: ReleasedRow[]) => Math.min(...group.map((r) => r.releasedAt.getTime()));
  return [...groups.entries()]
    .sort(([a, x], [b, y]) => first(x) - first(y) || (a ?? 0) - (b ?? 0))
    .map(([, group], i) => ({
      number: i + 1,
      releasedAt: new Date(first(group)),
      payments: group.map(({ applicantId, applicantNameNl, kind, amountCents, reference }) => ({ applicantId, applicantNameNl, kind, amountCents, reference })),
    }));
}

/** A payment's end-to-end id: its structured communication's 12 digits after "PS-", so the same on every file. */
export function endToEndIdOf(reference: string): string {
  return `PS-${plainReference(reference)}`;
}

/**
 * The message id and payment information id of a run's n-th released list: "PLANSAMEN-V12-R2" and
 * "PLANSAMEN-V12-R2-1". Unique, since a run's lists are numbered in the order they were released and never
 * renumbered, and stable: downloading the list again gives the same ids, so a bank refuses a second upload of it.
 */
export function paymentFileIds(runId: number, releaseNumber: number): { messageId: string; paymentInformationId: string } {
  for (const [label, value] of [
    ['run', runId],
    ['release number', releaseNumber],
  ] as const)
    if (!Number.isSafeInteger(value) || value < 1 || value > 2_147_483_647) throw new RangeError(`the ${label} must be a positive id, got ${value}`);
  const messageId = `PLANSAMEN-V${runId}-R${releaseNumber}`;
  const ids = { messageId, paymentInformationId: `${messageId}-1` };
  if (!isSepaId(ids.paymentInformationId)) throw new RangeError(`not a SEPA identifier: ${ids.paymentInformationId}`);
  return ids;
}

export const EXECUTION_DATE_FORMAT = 'Geef de uitvoeringsdatum als JJJJ-MM-DD, bijvoorbeeld 2026-03-02.';
export const EXECUTION_DATE_PAST = 'De uitvoeringsdatum ligt in het verleden: kies vandaag of later.';
export const EXECUTION_DATE_WEEKEND = 'Banken voeren een overschrijving niet uit op zaterdag of zondag: kies een werkdag.';
export const EXECUTION_DATE_TOO_LATE = 'Kies een uitvoeringsdatum binnen een jaar: banken aanvaarden geen latere.';

/** The first weekday after `today` (YYYY-MM-DD, Brussels): the default requested execution date. */
export function nextBusinessDay(today: string): string {
  let day = DateTime.fromISO(today, { zone: BRUSSELS }).plus({ days: 1 });
  while (day.weekday > 5) day = day.plus({ days: 1 });
  return day.toISODate()!;
}

/** Today's date in Brussels (YYYY-MM-DD). */
export function brusselsToday(now: Date): string {
  return DateTime.fromJSDate(now, { zone: BRUSSELS }).toISODate()!;
}

/**
 * The requested execution date: the one asked for, else the next weekday. Refused under `field` when it is no date,
 * lies before today (Brussels), falls on a weekend or more than a year ahead. A TARGET holiday (1 January, Good
 * Friday, Easter Monday, 1 May, 25 and 26 December) is left to the bank, which pays on the next business day.
 */
export function executionDateOf(requested: string | undefined, today: string, field = 'executionDate'): string {
  if (requested === undefined || requested === '') return nextBusinessDay(today);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(requested) ? DateTime.fromISO(requested, { zone: BRUSSELS }) : null;
  const refuse = (message: string) => new FieldErrors({ [field]: [message] });
  if (!date || !date.isValid) throw refuse(EXECUTION_DATE_FORMAT);
  const first = DateTime.fromISO(today, { zone: BRUSSELS });
  if (date < first) throw refuse(EXECUTION_DATE_PAST);
  if (date > first.plus({ years: 1 })) throw refuse(EXECUTION_DATE_TOO_LATE);
  if (date.weekday > 5) throw refuse(EXECUTION_DATE_WEEKEND);
  return requested;
}
