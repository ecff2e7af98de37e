import { DOMParser, Element } from '@xmldom/xmldom';

/**
 * The SEPA file checked element by element, for want of the official pain.001.001.03 XSD: no npm package ships it
 * (the registry's `sepa` 1.1.0, 2.1.0 and 3.0.0, `iso20022.js`, `sepa-xml` and `ebics-client` were looked at), and it
 * may not be fetched from elsewhere. The model below is the part of the schema the platform's file uses, transcribed
 * from the ISO 20022 message definition: each element's name, order, cardinality and simple type (pattern, length,
 * digits, code list). Anything the model does not know is refused, so it is stricter than the schema, never looser.
 * On top come the EPC's SEPA rules (euro, service level SEPA, shared charges, the basic Latin set, names of at most
 * 70 characters, amounts from 0,01 to 999 999 999,99) and the sums: counts and control sums must match the
 * transactions to the cent.
 */

type Check = (text: string) => string | null;

interface Node {
  name: string;
  min?: number;
  max?: number;
  /** A simple type: the element holds text only. */
  text?: Check;
  /** Required attributes and their check. */
  attributes?: Record<string, Check>;
  /** A sequence, in this order. */
  sequence?: Node[];
  /** Exactly one of these. */
  choice?: Node[];
}

const maxText =
  (max: number): Check =>
  (t) =>
    t.length >= 1 && t.length <= max ? null : `length ${t.length}, must be 1 to ${max}`;
const pattern =
  (re: RegExp, label: string): Check =>
  (t) =>
    re.test(t) ? null : `"${t}" is not a ${label}`;
const oneOf =
  (...codes: string[]): Check =>
  (t) =>
    codes.includes(t) ? null : `"${t}" is not one of ${codes.join(', ')}`;
const all =
  (...checks: Check[]): Check =>
  (t) =>
    checks.map((c) => c(t)).find((p) => p !== null) ?? null;
function decimal(totalDigits: number, fractionDigits: number): Check {
  return (t) => {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(t);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) return `"${t}" is not a decimal`;
    const whole = m[2].replace(/^0+/, '');
    const fraction = (m[3] ?? '').replace(/0+$/, '');
    if (fraction.length > fractionDigits) return `"${t}" has more than ${fractionDigits} fraction digits`;
    if (whole.length + fraction.length > totalDigits) return `"${t}" has more than ${totalDigits} digits`;
    return null;
  };
}
const isoDate: Check = (t) => (/^\d{4}-\d{2}-\d{2}$/.test(t) && new Date(`${t}T00:00:00Z`).toISOString().startsWith(t) ? null : `"${t}" is not an ISO date`);
const isoDateTime: Check = (t) =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(t) && !Number.isNaN(Date.parse(t.slice(0, 19) + 'Z'))
    ? null
    : `"${t}" is not an ISO date-time`;

// The schema's simple types.
const Max35Text = maxText(35);
const Max140Text = maxText(140);
const Max15NumericText = pattern(/^[0-9]{1,15}$/, 'Max15NumericText');
const DecimalNumber = decimal(18, 17);
const IBAN2007Identifier = pattern(/^[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}$/, 'IBAN2007Identifier');
const BICIdentifier = pattern(/^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/, 'BICIdentifier');
const ActiveOrHistoricCurrencyCode = pattern(/^[A-Z]{3}$/, 'currency code');
const ActiveOrHistoricCurrencyAndAmount = all(decimal(18, 5), (t) => (Number(t) >= 0 ? null : `"${t}" is negative`));

// The EPC's SEPA rules on top of the schema.
const SEPA_CHARACTERS = /^[A-Za-z0-9/\-?:().,'+ ]+$/;
const sepaId = all(Max35Text, pattern(/^(?!\/)(?!.*\/\/)[A-Za-z0-9/\-?:().,'+]+(?<!\/)$/, 'SEPA identifier'));
const sepaName = all(maxText(70), pattern(SEPA_CHARACTERS, 'SEPA text'));
const sepaAmount = all(ActiveOrHistoricCurrencyAndAmount, pattern(/^\d{1,9}\.\d{2}$/, 'SEPA amount'), (t) =>
  Number(t) >= 0.01 ? null : `"${t}" is below 0.01`,
);
/** The Belgian structured communication's 12 digits: 10 of base and the base modulo 97 (97 for 0). */
const belgianReference: Check = (t) => {
  if (!/^\d{12}$/.test(t)) return `"${t}" is not 12 digits`;
  const check = Number(BigInt(t.slice(0, 10)) % 97n) || 97;
  return check === Number(t.slice(10)) ? null : `"${t}" has wrong check digits`;
};

const party = (name: string): Node => ({ name, sequence: [{ name: 'Nm', text: all(Max140Text, sepaName) }] });
const account = (name: string, withCurrency: boolean): Node => ({
  name,
  sequence: [
    { name: 'Id', choice: [{ name: 'IBAN', text: IBAN2007Identifier }] },
    ...(withCurrency ? [{ name: 'Ccy', min: 0, text: all(ActiveOrHistoricCurrencyCode, oneOf('EUR')) }] : []),
  ],
});

/** pain.001.001.03, the part the platform writes (Document → CstmrCdtTrfInitn → GrpHdr, PmtInf → CdtTrfTxInf). */
const DOCUMENT: Node = {
  name: 'Document',
  sequence: [
    {
      name: 'CstmrCdtTrfInitn',
      sequence: [
        {
          name: 'GrpHdr',
          sequence: [
            { name: 'MsgId', text: sepaId },
            { name: 'CreDtTm', text: isoDateTime },
            { name: 'NbOfTxs', text: Max15NumericText },
            { name: 'CtrlSum', min: 0, text: DecimalNumber },
            party('InitgPty'),
          ],
        },
        {
          name: 'PmtInf',
          max: Infinity,
          sequence: [
            { name: 'PmtInfId', text: sepaId },
            { name: 'PmtMtd', text: oneOf('TRF') },
            { name: 'BtchBookg', min: 0, text: oneOf('true', 'false') },
            { name: 'NbOfTxs', min: 0, text: Max15NumericText },
            { name: 'CtrlSum', min: 0, text: DecimalNumber },
            { name: 'PmtTpInf', min: 0, sequence: [{ name: 'SvcLvl', choice: [{ name: 'Cd', text: oneOf('SEPA') }] }] },
            { name: 'ReqdExctnDt', text: isoDate },
            party('Dbtr'),
            account('DbtrAcct', true),
            { name: 'DbtrAgt', sequence: [{ name: 'FinInstnId', sequence: [{ name: 'BIC', min: 0, text: BICIdentifier }] }] },
            { name: 'ChrgBr', min: 0, text: oneOf('SLEV') },
            {
              name: 'CdtTrfTxInf',
              max: Infinity,
              sequence: [
                {
                  name: 'PmtId',
                  sequence: [
                    { name: 'InstrId', min: 0, text: sepaId },
                    { name: 'EndToEndId', text: sepaId },
                  ],
                },
                {
                  name: 'Amt',
                  choice: [{ name: 'InstdAmt', text: sepaAmount, attributes: { Ccy: all(ActiveOrHistoricCurrencyCode, oneOf('EUR')) } }],
                },
                party('Cdtr'),
                account('CdtrAcct', false),
                {
                  name: 'RmtInf',
                  sequence: [
                    {
                      name: 'Strd',
                      sequence: [
                        {
                          name: 'CdtrRefInf',
                          sequence: [
                            {
                              name: 'Tp',
                              sequence: [
                                { name: 'CdOrPrtry', choice: [{ name: 'Cd', text: oneOf('RADM', 'RPIN', 'FXDR', 'DISP', 'PUOR', 'SCOR') }] },
                                { name: 'Issr', min: 0, text: Max35Text },
                              ],
                            },
                            { name: 'Ref', text: all(Max35Text, belgianReference) },
                          ],
                        },
                      ],
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  ],
};

const NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03';
const childElements = (e: Element): Element[] => Array.from(e.childNodes).filter((n): n is Element => n.nodeType === 1);

function check(e: Element, node: Node, path: string, problems: string[]): void {
  const here = `${path}/${node.name}`;
  if (e.namespaceURI !== NAMESPACE) problems.push(`${here}: namespace ${e.namespaceURI}`);
  for (const [name, test] of Object.entries(node.attributes ?? {})) {
    const value = e.getAttribute(name);
    const problem = value === null ? 'missing' : test(value);
    if (problem) problems.push(`${here}/@${name}: ${problem}`);
  }
  const allowed = new Set(['xmlns', 'xmlns:xsi', ...Object.keys(node.attributes ?? {})]);
  for (const attribute of Array.from(e.attributes)) if (!allowed.has(attribute.name)) problems.push(`${here}/@${attribute.name}: not allowed`);
  const children = childElements(e);
  if (node.text) {
    if (children.length > 0) problems.push(`${here}: holds elements, must hold text only`);
    const problem = node.text(e.textContent ?? '');
    if (problem) problems.push(`${here}: ${problem}`);
    return;
  }
  const stray = Array.from(e.childNodes).filter((n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '');
  if (stray.length > 0) problems.push(`${here}: holds text, must hold elements only`);
  if (node.choice) {
    const chosen = children.length === 1 ? node.choice.find((c) => c.name === children[0].localName) : undefined;
    if (!chosen) problems.push(`${here}: must hold exactly one of ${node.choice.map((c) => c.name).join(', ')}`);
    else check(children[0], chosen, here, problems);
    return;
  }
  let i = 0;
  for (const part of node.sequence ?? []) {
    let seen = 0;
    while (i < children.length && children[i].localName === part.name) {
      check(children[i++], part, here, problems);
      seen++;
    }
    if (seen < (part.min ?? 1)) problems.push(`${here}/${part.name}: ${seen} found, at least ${part.min ?? 1} expected (in this order)`);
    if (seen > (part.max ?? 1)) problems.push(`${here}/${part.name}: ${seen} found, at most ${part.max ?? 1} allowed`);
  }
  for (const extra of children.slice(i)) problems.push(`${here}/${extra.localName}: not allowed here`);
}

export interface Pain001Transfer {
  endToEndId: string;
  name: string;
  iban: string;
  amountCents: number;
  reference: string;
}

export interface Pain001 {
  /** Every deviation from the model, the SEPA rules and the sums; empty for a valid file. */
  problems: string[];
  messageId: string;
  paymentInformationId: string;
  createdAt: string;
  executionDate: string;
  payer: { name: string; iban: string; bic: string };
  count: number;
  controlSumCents: number;
  transfers: Pain001Transfer[];
}

const cents = (amount: string) => {
  const [whole, fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
};

/** Reads a pain.001.001.03 file, checks it against the model above, and gives back what it holds. */
export function readPain001(xml: string): Pain001 {
  const problems: string[] = [];
  if (!xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) problems.push('no UTF-8 XML declaration');
  let root: Element | null;
  try {
    root = new DOMParser({ onError: (level, message) => problems.push(`XML ${level}: ${message}`) }).parseFromString(xml, 'text/xml').documentElement;
  } catch (error) {
    return { problems: [...problems, `not well-formed XML: ${(error as Error).message}`] } as Pain001;
  }
  if (!root || root.localName !== 'Document') return { problems: [...problems, 'no Document'] } as Pain001;
  check(root, DOCUMENT, '', problems);

  const all = (name: string) => Array.from(root.getElementsByTagNameNS(NAMESPACE, name));
  const text = (scope: Element, ...names: string[]): string => {
    let e: Element | undefined = scope;
    for (const name of names) e = e && childElements(e).find((c) => c.localName === name);
    return e?.textContent ?? '';
  };
  const header = all('GrpHdr')[0];
  const blocks = all('PmtInf');
  const block = blocks[0];
  const transfers = all('CdtTrfTxInf').map((t) => ({
    endToEndId: text(t, 'PmtId', 'EndToEndId'),
    name: text(t, 'Cdtr', 'Nm'),
    iban: text(t, 'CdtrAcct', 'Id', 'IBAN'),
    amountCents: cents(text(t, 'Amt', 'InstdAmt')),
    reference: text(t, 'RmtInf', 'Strd', 'CdtrRefInf', 'Ref'),
    issuer: text(t, 'RmtInf', 'Strd', 'CdtrRefInf', 'Tp', 'Issr'),
  }));
  const sum = transfers.reduce((s, t) => s + t.amountCents, 0);
  const count = Number(text(header, 'NbOfTxs'));
  const controlSumCents = cents(text(header, 'CtrlSum'));
  if (count !== transfers.length) problems.push(`GrpHdr/NbOfTxs ${count}, but ${transfers.length} transactions`);
  if (controlSumCents !== sum) problems.push(`GrpHdr/CtrlSum ${controlSumCents} cents, but the transactions add up to ${sum}`);
  for (const b of blocks) {
    const own = childElements(b).filter((c) => c.localName === 'CdtTrfTxInf');
    const ownSum = own.reduce((s, t) => s + cents(text(t, 'Amt', 'InstdAmt')), 0);
    if (Number(text(b, 'NbOfTxs')) !== own.length) problems.push(`PmtInf/NbOfTxs does not count its ${own.length} transactions`);
    if (cents(text(b, 'CtrlSum')) !== ownSum) problems.push(`PmtInf/CtrlSum does not add up to its ${ownSum} cents`);
  }
  for (const t of transfers)
    if (t.issuer !== 'BBA') problems.push(`${t.endToEndId}: creditor reference issuer "${t.issuer}", Belgian structured communications are BBA`);
  const ids = transfers.map((t) => t.endToEndId);
  if (new Set(ids).size !== ids.length) problems.push('EndToEndId repeated');
  return {
    problems,
    messageId: text(header, 'MsgId'),
    paymentInformationId: block ? text(block, 'PmtInfId') : '',
    createdAt: text(header, 'CreDtTm'),
    executionDate: block ? text(block, 'ReqdExctnDt') : '',
    payer: block
      ? { name: text(block, 'Dbtr', 'Nm'), iban: text(block, 'DbtrAcct', 'Id', 'IBAN'), bic: text(block, 'DbtrAgt', 'FinInstnId', 'BIC') }
      : { name: '', iban: '', bic: '' },
    count,
    controlSumCents,
    transfers: transfers.map(({ endToEndId, name, iban, amountCents, reference }) => ({ endToEndId, name, iban, amountCents, reference })),
  };
}
