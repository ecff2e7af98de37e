import { DateTime } from 'luxon';
import { BRUSSELS, Cents, normaliseBic, normaliseIban } from '@ps/kernel';
import { plainReference } from './structured-communication';

/**
 * A SEPA credit transfer file, ISO 20022 pain.001.001.03 (the version Belgian banks accept most widely), with one
 * payment information block: every transfer leaves the paying account on the same requested execution date.
 *
 * Written here rather than with the `sepa` package: its version 3.0.0 writes a structured creditor reference as
 * Tp/CdorPrtry/{Cd, Issr, Ref}, which the pain.001.001.03 schema does not know (the element is CdOrPrtry, holding only
 * Cd; Issr sits in Tp and Ref in CdtrRefInf), so a bank would refuse every transfer with a structured communication.
 */

export const PAIN_001_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03';

/** The EPC's maximum for one SEPA credit transfer: 999 999 999,99 euro. */
export const MAX_TRANSFER_CENTS = 99_999_999_999;

/** ABB's account the transfers leave from. */
export interface PayingAccount {
  iban: string;
  bic: string;
  name: string;
}

export interface CreditTransfer {
  /** Unique per payment and the same for every file that holds it: the bank reports it back on the statement. */
  endToEndId: string;
  beneficiaryName: string;
  /** The beneficiary's confirmed payout account. */
  iban: string;
  amountCents: Cents;
  /** The Belgian structured communication (+++ddd/dddd/ddddd+++), sent as a structured creditor reference. */
  communication: string;
}

export interface CreditTransferFile {
  messageId: string;
  paymentInformationId: string;
  /** When the list was released: the file's creation time, so downloading it again gives the same bytes. */
  createdAt: Date;
  /** YYYY-MM-DD */
  executionDate: string;
  payer: PayingAccount;
  transfers: CreditTransfer[];
}

/** What the EPC allows in SEPA texts (the basic Latin set): letters, digits, space and / - ? : ( ) . , ' + */
export const SEPA_TEXT = /^[A-Za-z0-9/\-?:().,'+ ]*$/;
/** Identifiers: the same set without space, not starting or ending with / and without //. */
const SEPA_ID = /^(?!\/)(?!.*\/\/)[A-Za-z0-9/\-?:().,'+]{1,35}(?<!\/)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A name as the EPC's basic Latin set can carry it, at most `max` characters: accents dropped ("Châtelet" →
 * "Chatelet"), & written "en", every other character outside the set a space.
 */
export function sepaText(text: string, max = 70): string {
  const latin = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[Ææ]/g, (c) => (c === 'Æ' ? 'AE' : 'ae'))
    .replace(/[Œœ]/g, (c) => (c === 'Œ' ? 'OE' : 'oe'))
    .replace(/[Øø]/g, (c) => (c === 'Ø' ? 'O' : 'o'))
    .replace(/[‘’`´]/g, "'")
    .replace(/&/g, ' en ')
    .replace(/[^A-Za-z0-9/\-?:().,'+ ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return latin.slice(0, max).trim();
}

/** 123456 cents → "1234.56" */
export function sepaAmount(cents: Cents): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** Whether a text is a valid SEPA identifier (message, payment information or end-to-end id). */
export function isSepaId(text: string): boolean {
  return SEPA_ID.test(text);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function assertValid(file: CreditTransferFile): void {
  const problems: string[] = [];
  for (const [label, id] of [
    ['message id', file.messageId],
    ['payment information id', file.paymentInformationId],
  ])
    if (!isSepaId(id)) problems.push(`${label} "${id}"`);
  if (!ISO_DATE.test(file.executionDate) || !DateTime.fromISO(file.executionDate).isValid) problems.push(`execution date "${file.executionDate}"`);
  if (normaliseIban(file.payer.iban) !== file.payer.iban) problems.push('paying IBAN');
  if (normaliseBic(file.payer.bic) !== file.payer.bic) problems.push('paying BIC');
  if (!sepaText(file.payer.name)) problems.push('paying name');
  if (file.transfers.length === 0) problems.push('no transfers');
  const ids = new Set<string>();
  for (const t of file.transfers) {
    if (!isSepaId(t.endToEndId) || ids.has(t.endToEndId)) problems.push(`end-to-end id "${t.endToEndId}"`);
    ids.add(t.endToEndId);
    if (normaliseIban(t.iban) !== t.iban) problems.push(`IBAN of ${t.endToEndId}`);
    if (!Number.isSafeInteger(t.amountCents) || t.amountCents < 1 || t.amountCents > MAX_TRANSFER_CENTS) problems.push(`amount of ${t.endToEndId}`);
    if (!sepaText(t.beneficiaryName)) problems.push(`name of ${t.endToEndId}`);
    plainReference(t.communication);
  }
  if (problems.length > 0) throw new RangeError(`not a valid SEPA credit transfer file: ${problems.join(', ')}`);
}

const element = (name: string, text: string, attributes = '') => `<${name}${attributes}>${escapeXml(text)}</${name}>`;

function transferXml(t: CreditTransfer): string {
  return [
    '<CdtTrfTxInf>',
    `<PmtId>${element('EndToEndId', t.endToEndId)}</PmtId>`,
    `<Amt>${element('InstdAmt', sepaAmount(t.amountCents), ' Ccy="EUR"')}</Amt>`,
    `<Cdtr>${element('Nm', sepaText(t.beneficiaryName))}</Cdtr>`,
    `<CdtrAcct><Id>${element('IBAN', t.iban)}</Id></CdtrAcct>`,
    '<RmtInf><Strd><CdtrRefInf>',
    `<Tp><CdOrPrtry>${element('Cd', 'SCOR')}</CdOrPrtry>${element('Issr', 'BBA')}</Tp>`,
    element('Ref', plainReference(t.communication)),
    '</CdtrRefInf></Strd></RmtInf>',
    '</CdtTrfTxInf>',
  ].join('');
}

/**
 * The pain.001.001.03 document: group header (message id, creation time in Brussels, count and control sum, the
 * initiating party), one payment information block (transfer, SEPA service level, the requested execution date,
 * the paying account and its bank, shared charges) and one transaction per transfer. Counts and sums are computed
 * here from integer cents, so they match the transfers exactly. Refuses (RangeError) a file a bank would refuse.
 */
export function creditTransferXml(file: CreditTransferFile): string {
  assertValid(file);
  const count = String(file.transfers.length);
  const total = sepaAmount(file.transfers.reduce((sum, t) => sum + t.amountCents, 0));
  const payerName = sepaText(file.payer.name);
  const createdAt = DateTime.fromJSDate(file.createdAt, { zone: BRUSSELS }).toFormat("yyyy-LL-dd'T'HH:mm:ss");
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Document xmlns="${PAIN_001_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`,
    '<CstmrCdtTrfInitn>',
    '<GrpHdr>',
    element('MsgId', file.messageId),
    element('CreDtTm', createdAt),
    element('NbOfTxs', count),
    element('CtrlSum', total),
    `<InitgPty>${element('Nm', payerName)}</InitgPty>`,
    '</GrpHdr>',
    '<PmtInf>',
    element('PmtInfId', file.paymentInformationId),
    element('PmtMtd', 'TRF'),
    element('BtchBookg', 'true'),
    element('NbOfTxs', count),
    element('CtrlSum', total),
    `<PmtTpInf><SvcLvl>${element('Cd', 'SEPA')}</SvcLvl></PmtTpInf>`,
    element('ReqdExctnDt', file.executionDate),
    `<Dbtr>${element('Nm', payerName)}</Dbtr>`,
    `<DbtrAcct><Id>${element('IBAN', file.payer.iban)}</Id>${element('Ccy', 'EUR')}</DbtrAcct>`,
    `<DbtrAgt><FinInstnId>${element('BIC', file.payer.bic)}</FinInstnId></DbtrAgt>`,
    element('ChrgBr', 'SLEV'),
    ...file.transfers.map(transferXml),
    '</PmtInf>',
    '</CstmrCdtTrfInitn>',
    '</Document>',
  ];
  return lines.join('\n') + '\n';
}
