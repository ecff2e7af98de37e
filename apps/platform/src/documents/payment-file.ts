import { PaymentFile } from '@ps/allocation';
import { creditTransferXml } from '@ps/payments';

/** The SEPA credit transfer file (pain.001.001.03) of a released payment list; the API and the page serve the same file. */
export function paymentFileXml(payment: PaymentFile): { filename: string; content: string } {
  const { run, list, file } = payment;
  return {
    filename: `sepa-projectjaar-${run.callYear}-verdeling-${run.id}-lijst-${list.number}-uitvoering-${file.executionDate}.xml`,
    content: creditTransferXml(file),
  };
}
