import { PaymentOrder, RunSummary } from '@ps/allocation';
import { csvEuro, formatBrussels, toCsv } from '@ps/kernel';
import { plainReference } from '@ps/payments';

const KIND_NL = { advance: 'voorschot', balance: 'saldo', recovery: 'terugvordering' } as const;

/**
 * The payment list of a published run as CSV for the accounting department; the API and the page serve the same file.
 * The structured communication comes twice: as people write it (+++…+++, which the formula guard writes '+++…+++) and in
 * the bank's plain form, its 12 digits, for whoever copies it into a bank's form or import.
 */
export function paymentListCsv(list: { run: RunSummary; payments: PaymentOrder[] }): { filename: string; content: string } {
  const header = [
    'Aanvrager',
    'Trekkende gemeente',
    'IBAN',
    'Bedrag (EUR)',
    'Gestructureerde mededeling',
    'Mededeling voor de bank (12 cijfers)',
    'Soort',
    'Projectjaar',
    'Verdeling',
  ];
  const rows = list.payments.map((p) => [
    p.applicantNameNl,
    p.leadLocalGovernmentNameNl,
    p.payoutIban ?? '',
    csvEuro(p.amountCents),
    p.reference,
    plainReference(p.reference),
    KIND_NL[p.kind],
    list.run.callYear,
    `${list.run.id} (gepubliceerd ${list.run.publishedAt ? formatBrussels(list.run.publishedAt) : ''})`,
  ]);
  return { filename: `betaallijst-projectjaar-${list.run.callYear}-verdeling-${list.run.id}.csv`, content: toCsv(header, rows) };
}
