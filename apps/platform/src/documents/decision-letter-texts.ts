import { LocalGovernmentKind } from '@ps/organisations';

/** Who a decision letter is addressed to: the body that governs the lead local government. */
export function addressee(lead: { nameNl: string; kind: LocalGovernmentKind }): string {
  return lead.kind === 'municipality' ? `Het college van burgemeester en schepenen van ${lead.nameNl}` : `Het bestuur van ${lead.nameNl}`;
}

/** The letter's own reference: the dossier number, and the allocation run for the letter that follows the allocation. */
export function letterReference(dossier: string, runId: number | null): string {
  return runId === null ? dossier : `${dossier}-verdeling-${runId}`;
}

/** When the advance is paid: on the payment list of the published allocation, or, before it, once the budget is allocated. */
export function advancePaid(published: string | null): string {
  return published
    ? `betaald via de betalingslijst van de verdeling van het budget, gepubliceerd op ${published}.`
    : 'betaald via de betalingslijst zodra de verdeling van het budget gepubliceerd is.';
}

/** When the balance is paid: after ABB accepts the final report, settled against what was realised. */
export function balancePaid(finalReportDue: string): string {
  const due = finalReportDue ? ` (in te dienen uiterlijk ${finalReportDue})` : '';
  return `betaald na de aanvaarding van de eindrapportage${due}, verrekend met wat gerealiseerd is.`;
}
