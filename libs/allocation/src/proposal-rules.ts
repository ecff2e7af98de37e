import { createHash } from 'node:crypto';

/**
 * What a money proposal was made on, and what changed since. A proposal keeps a snapshot of its inputs (each a
 * JSON value built in a fixed order); the approval builds the snapshot again and is refused with the inputs that
 * differ. Inputs that hold personal data (payout accounts) are kept as a hash only.
 */
export type ProposalInputs = Record<string, unknown>;

export interface InputChange {
  input: string;
  message: string;
}

/** Why an approval is refused, per input; an input not listed here still blocks, with a general message. */
export const INPUT_CHANGES_NL: Record<string, string> = {
  approvedApplications: 'De goedgekeurde aanvragen van de oproep zijn gewijzigd (bijvoorbeeld een heropende of pas goedgekeurde aanvraag).',
  latestRunId: 'Er is intussen een nieuwere simulatie van deze oproep berekend.',
  pendingReview: 'Andere ingediende aanvragen wachten nu op een beslissing.',
  publishedRunId: 'Intussen is een verdeling van deze oproep gepubliceerd.',
  payments: 'De betalingen die op vrijgave wachten, zijn gewijzigd.',
  payoutAccounts: 'Een bevestigd rekeningnummer van een aanvrager is gewijzigd.',
  line: 'De bevestigde hoeveelheid of het toegewezen bedrag van deze KPI-lijn is gewijzigd.',
  recorded: 'Het eindresultaat van deze KPI-lijn is intussen anders ingevuld.',
  settled: 'De afrekening van deze aanvraag is intussen afgesloten.',
  threshold: 'De drempel voor kwijtschelding van de oproep is gewijzigd.',
};

const GENERAL_CHANGE_NL = 'Een gegeven waarop het voorstel steunt, is gewijzigd.';

/** The inputs whose value differs between the proposal's snapshot and now, in the snapshot's order. */
export function changedInputs(proposed: ProposalInputs, now: ProposalInputs): InputChange[] {
  const keys = [...new Set([...Object.keys(proposed), ...Object.keys(now)])];
  return keys
    .filter((key) => JSON.stringify(proposed[key] ?? null) !== JSON.stringify(now[key] ?? null))
    .map((input) => ({ input, message: INPUT_CHANGES_NL[input] ?? GENERAL_CHANGE_NL }));
}

/** A value kept only as its SHA-256, for inputs that hold personal data. */
export function hashed(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
