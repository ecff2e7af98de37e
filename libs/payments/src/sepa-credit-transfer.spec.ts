import fc from 'fast-check';
import { readPain001 } from '../../../test/support/pain001';
import { creditTransferXml, CreditTransferFile, isSepaId, SEPA_TEXT, sepaAmount, sepaText } from './sepa-credit-transfer';
import { paymentReference } from './structured-communication';

const payer = { iban: 'BE68539007547034', bic: 'GKCCBEBB', name: 'Agentschap Binnenlands Bestuur' };
const file = (overrides: Partial<CreditTransferFile> = {}): CreditTransferFile => ({
  messageId: 'PLANSAMEN-V12-L3',
  paymentInformationId: 'PLANSAMEN-V12-L3-1',
  createdAt: new Date('2026-07-01T08:30:00Z'),
  executionDate: '2026-07-03',
  payer,
  transfers: [
    {
      endToEndId: 'PS-021000004286',
      beneficiaryName: 'Samen Zelzate & Wachtebeke',
      iban: 'BE71096123456769',
      amountCents: 800_000,
      communication: paymentReference(2, 42, 'advance'),
    },
    {
      endToEndId: 'PS-021000004387',
      beneficiaryName: 'Projectvereniging Châtelet–Ölbrück',
      iban: 'NL91ABNA0417164300',
      amountCents: 1,
      communication: paymentReference(2, 43, 'advance'),
    },
  ],
  ...overrides,
});

describe('SEPA credit transfer file (pain.001.001.03)', () => {
  it('holds the payer, the execution date and per transfer name, IBAN, amount and the structured communication as an SCOR/BBA reference', () => {
    const xml = creditTransferXml(file());
    const read = readPain001(xml);
    expect(read.problems).toEqual([]);
    expect(read).toMatchObject({
      messageId: 'PLANSAMEN-V12-L3',
      paymentInformationId: 'PLANSAMEN-V12-L3-1',
      createdAt: '2026-07-01T10:30:00',
      executionDate: '2026-07-03',
      payer: { name: 'Agentschap Binnenlands Bestuur', iban: 'BE68539007547034', bic: 'GKCCBEBB' },
      count: 2,
      controlSumCents: 800_001,
    });
    expect(read.transfers).toEqual([
      { endToEndId: 'PS-021000004286', name: 'Samen Zelzate en Wachtebeke', iban: 'BE71096123456769', amountCents: 800_000, reference: '021000004286' },
      { endToEndId: 'PS-021000004387', name: 'Projectvereniging Chatelet Olbruck', iban: 'NL91ABNA0417164300', amountCents: 1, reference: '021000004387' },
    ]);
    expect(xml).toContain('<CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp><Ref>021000004286</Ref></CdtrRefInf>');
    expect(xml).not.toMatch(/\+\+\+|\d{3}\/\d{4}\/\d{5}/);
    expect(xml).toContain('<InstdAmt Ccy="EUR">8000.00</InstdAmt>');
    expect(xml).toContain('<InstdAmt Ccy="EUR">0.01</InstdAmt>');
  });

  it('is the same text for the same list', () => {
    expect(creditTransferXml(file())).toBe(creditTransferXml(file()));
  });

  it('counts and sums exactly, to the cent, for any amounts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 99_999_999_999 }), { minLength: 1, maxLength: 40 }), (amounts) => {
        const transfers = amounts.map((amountCents, i) => ({
          endToEndId: `PS-${i}`,
          beneficiaryName: `Aanvrager ${i}`,
          iban: 'BE71096123456769',
          amountCents,
          communication: paymentReference(1, i + 1, 'balance'),
        }));
        const read = readPain001(creditTransferXml(file({ transfers })));
        const total = amounts.reduce((s, a) => s + a, 0);
        return (
          read.problems.length === 0 &&
          read.count === amounts.length &&
          read.controlSumCents === total &&
          read.transfers.every((t, i) => t.amountCents === amounts[i])
        );
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a file a bank would refuse', () => {
    const one = file().transfers[0];
    for (const bad of [
      file({ transfers: [] }),
      file({ messageId: 'x'.repeat(36) }),
      file({ paymentInformationId: 'with space' }),
      file({ executionDate: '2026-02-30' }),
      file({ payer: { ...payer, iban: 'BE68539007547035' } }),
      file({ payer: { ...payer, bic: 'GKCCBE' } }),
      file({ payer: { ...payer, name: '€€€' } }),
      file({ transfers: [{ ...one, amountCents: 0 }] }),
      file({ transfers: [{ ...one, amountCents: 12.5 }] }),
      file({ transfers: [{ ...one, amountCents: 100_000_000_000 }] }),
      file({ transfers: [{ ...one, iban: 'BE71 0961 2345 6769' }] }),
      file({ transfers: [one, { ...one }] }),
      file({ transfers: [{ ...one, communication: '021000004286' }] }),
    ])
      expect(() => creditTransferXml(bad)).toThrow(RangeError);
  });

  it('writes names in the basic Latin set the EPC allows, at most 70 characters', () => {
    expect(sepaText('Sint-Gillis-Waas & Stekene')).toBe('Sint-Gillis-Waas en Stekene');
    expect(sepaText('Œuvre «Samen» — Ærø Straße')).toBe('OEuvre Samen AEro Strasse');
    expect(sepaText('<script>alert("x")</script>')).toBe('script alert( x ) /script');
    expect(sepaText('a'.repeat(80))).toHaveLength(70);
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (text) => SEPA_TEXT.test(sepaText(text)) && sepaText(text).length <= 70));
  });

  it('writes amounts with a point and two decimals', () => {
    expect([sepaAmount(1), sepaAmount(100), sepaAmount(123456), sepaAmount(99_999_999_999)]).toEqual(['0.01', '1.00', '1234.56', '999999999.99']);
  });

  it('knows a SEPA identifier', () => {
    for (const id of ['PLANSAMEN-V1-L2', 'A', 'a/b', 'x'.repeat(35)]) expect(isSepaId(id)).toBe(true);
    for (const id of ['', 'x'.repeat(36), '/a', 'a/', 'a//b', 'a b', 'a_b']) expect(isSepaId(id)).toBe(false);
  });
});

describe('the element-by-element check of the test support', () => {
  const good = creditTransferXml(file());

  it('finds what a schema would refuse: an element out of order, an unknown one, a missing one, a bad pattern', () => {
    expect(readPain001(good.replace(/<Cdtr><Nm>([^<]*)<\/Nm><\/Cdtr>(<CdtrAcct>.*?<\/CdtrAcct>)/, '$2<Cdtr><Nm>$1</Nm></Cdtr>')).problems).not.toEqual([]);
    expect(readPain001(good.replace('<ChrgBr>SLEV</ChrgBr>', '<ChrgBr>SLEV</ChrgBr><Foo>1</Foo>')).problems).not.toEqual([]);
    expect(readPain001(good.replace(/<ReqdExctnDt>[^<]*<\/ReqdExctnDt>/, '')).problems).not.toEqual([]);
    expect(readPain001(good.replace('<BIC>GKCCBEBB</BIC>', '<BIC>GKCC</BIC>')).problems).not.toEqual([]);
    // what the `sepa` package writes for a structured reference
    const sepaPackage = good.replace(
      /<Tp><CdOrPrtry><Cd>SCOR<\/Cd><\/CdOrPrtry><Issr>BBA<\/Issr><\/Tp><Ref>(\d+)<\/Ref>/,
      '<Tp><CdorPrtry><Cd>SCOR</Cd><Issr>BBA</Issr><Ref>$1</Ref></CdorPrtry></Tp>',
    );
    expect(sepaPackage).not.toBe(good);
    expect(readPain001(sepaPackage).problems).not.toEqual([]);
  });

  it('finds sums and counts that do not match, and a reference with wrong check digits', () => {
    expect(readPain001(good.replace('<CtrlSum>8000.01</CtrlSum>', '<CtrlSum>8000.02</CtrlSum>')).problems).not.toEqual([]);
    expect(readPain001(good.replace('<NbOfTxs>2</NbOfTxs>', '<NbOfTxs>3</NbOfTxs>')).problems).not.toEqual([]);
    expect(readPain001(good.replace('<Ref>021000004286</Ref>', '<Ref>021000004287</Ref>')).problems).not.toEqual([]);
    expect(readPain001(good.replace('</Document>', '')).problems).not.toEqual([]);
  });
});
