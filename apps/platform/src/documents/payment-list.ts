import { PaymentOrder, RunSummary } from '@ps/allocation';
import { csvEuro, formatBrussels, toCsv } from '@ps/kernel';

const KIND_NL = { advance: 'voorschot', balance: 'saldo', recovery: 'terugvordering' } as const;

/** The payment list of a published run as CSV for the accounting department; the API and the page serve the same file. */
export function paymentListCsv(list: { run: RunSummary; payments: PaymentOrder[] }): { filename: string; content: string } {
  const header = ['Aanvrager', 'Trekkende gemeente', 'IBAN', 'Bedrag (EUR)', 'Gestructureerde mededeling', 'Soort', 'Projectjaar', 'Verdeling'];
  const rows = list.payments.map((p) => [
    p.applicantNameNl,
    p.leadLocalGovernmentNameNl,
    p.payoutIban ?? '',
    csvEuro(p.amountCents),
    p.reference,
    KIND_NL[p.kind],
    list.run.callYear,
    `${list.run.id} (gepubliceerd ${list.run.publishedAt ? formatBrussels(list.run.publishedAt) : ''})`,
  ]);
  return { filename: `betaallijst-projectjaar-${list.run.callYear}-verdeling-${list.run.id}.csv`, content: toCsv(header, rows) };
}
