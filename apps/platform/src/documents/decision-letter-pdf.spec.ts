import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { formatEuro } from '@ps/kernel';
import { DecisionLetterContent, DecisionLetterLine, renderDecisionLetterPdf } from './decision-letter-pdf';
import { pageTexts } from '../../../../test/support/pdf';

/** All pages' text, in order, with the page footers left out so sentences running over a page break read on. */
const letterText = async (pdf: Buffer) => (await pageTexts(pdf)).map((page) => page.replace(/ Beslissingsbrief PS-\S+ Pagina \d+ van \d+$/, '')).join(' ');

const plainSpaces = (text: string) => text.replace(/[\u00A0\u202F]/g, ' ');
const euro = (cents: number) => plainSpaces(formatEuro(cents));

function kpiLine(index: number): DecisionLetterLine {
  return {
    action: `${index}. Ontmoetingsmomenten organiseren in de buurt`,
    unit: 'deelnemers van buitenlandse herkomst',
    requestedQuantity: 1200,
    requestedAmountCents: 30_000_00,
    confirmedQuantity: 1000,
    unitAmountCents: 25_00,
    amountCents: 25_000_00,
    reductionReason: 'Het bereik is hoger dan de doelgroep in de gemeente.',
  };
}

function letter(overrides: Partial<DecisionLetterContent> = {}): DecisionLetterContent {
  return {
    reference: 'PS-2025-42',
    letterReference: 'PS-2025-42',
    addressee: 'Het college van burgemeester en schepenen van Sint-Genesius-Rode',
    addresseeAddress: '',
    letterDate: '22 september 2025',
    applicantName: 'Gemeente Sint-Genesius-Rode',
    callName: 'Plan Samenleven 2025',
    projectStart: '1 oktober 2025',
    projectEnd: '30 september 2026',
    approved: true,
    decisionDate: '22 september 2025',
    issuedAt: '2025-09-22T10:00:00Z',
    refusalReason: '',
    lines: [kpiLine(3), { ...kpiLine(7), confirmedQuantity: 300, unitAmountCents: 210_00, amountCents: 63_000_00 }],
    grantedStimuli: [{ name: 'Samenwerkingsstimulans', amountCents: 10_000_00 }],
    refusedStimuli: [{ name: 'Mentorschapsstimulans', reason: 'Geen mentor aangeduid.' }],
    totalCents: 98_000_00,
    cofinancingCents: 88_000_00,
    advancePercent: 80,
    advanceCents: 78_400_00,
    balancePercent: 20,
    balanceCents: 19_600_00,
    interimReportDue: '6 mei 2026 om 23:59',
    interimThresholdPercent: 50,
    finalReportDue: '15 oktober 2026 om 23:59',
    advancePaid: 'betaald via de betalingslijst zodra de verdeling van het budget gepubliceerd is.',
    balancePaid: 'betaald na de aanvaarding van de eindrapportage (in te dienen uiterlijk 15 oktober 2026 om 23:59), verrekend met wat gerealiseerd is.',
    signatoryName: 'An Peeters',
    signatoryFunction: 'Afdelingshoofd Lokale Besturen',
    appealText: 'Tegen deze beslissing kunt u binnen 60 dagen beroep instellen bij de Raad van State.',
    ...overrides,
  };
}

describe('decision letter as PDF', () => {
  it('renders an A4 PDF that parses again, with the metadata fixed from the decision', async () => {
    const pdf = await renderDecisionLetterPdf(letter());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(doc.getPageCount()).toBe(2);
    expect(doc.getPage(0).getSize()).toEqual({ width: 595.28, height: 841.89 });
    expect(doc.getTitle()).toBe('Beslissingsbrief – Gemeente Sint-Genesius-Rode – Plan Samenleven 2025');
    expect(doc.getProducer()).toBe('Plan Samenleven');
    expect(doc.getCreationDate()).toEqual(new Date('2025-09-22T10:00:00Z'));
    expect(doc.getModificationDate()).toEqual(new Date('2025-09-22T10:00:00Z'));
  });

  it('shows the applicant, the lines, the stimuli and the amounts in the HTML letter’s wording', async () => {
    const text = await letterText(await renderDecisionLetterPdf(letter()));
    for (const expected of [
      'Beslissing over uw aanvraag Plan Samenleven',
      'Gemeente Sint-Genesius-Rode',
      'Plan Samenleven 2025 (projectperiode 1 oktober 2025 – 30 september 2026)',
      'Goedgekeurd op 22 september 2025',
      'PS-2025-42',
      "Bevestigde KPI's",
      '3. Ontmoetingsmomenten',
      'deelnemers van',
      '1.200',
      '1.000',
      euro(25_00),
      euro(25_000_00),
      euro(63_000_00),
      'Samenwerkingsstimulans',
      euro(10_000_00),
      'Mentorschapsstimulans: geweigerd. Geen mentor aangeduid.',
      "Toegekende Vlaamse bijdrage (KPI's en stimuli)",
      euro(98_000_00),
      'Voorschot (80 %)',
      euro(78_400_00),
      'Saldo (20 %, na de eindrapportage)',
      euro(19_600_00),
      euro(88_000_00),
      'zoals gevraagd voor de verdeling van het budget',
      'uiterlijk 6 mei 2026 om 23:59: per KPI moet 50 % bereikt zijn',
      'Eindrapportage uiterlijk 15 oktober 2026 om 23:59; daarna volgt het saldo.',
    ]) {
      expect(text).toContain(expected);
    }
    expect(euro(25_000_00)).toBe('€ 25.000,00');
  });

  it('names the addressee, the date, the reference, the reductions, the payments, the signatory and the means of appeal', async () => {
    const lines = [kpiLine(3), { ...kpiLine(4), reductionReason: '' }, { ...kpiLine(5), confirmedQuantity: 1200, amountCents: 30_000_00 }];
    const text = await letterText(await renderDecisionLetterPdf(letter({ lines })));
    for (const expected of [
      'Aan: Het college van burgemeester en schepenen van Sint-Genesius-Rode',
      'Datum: 22 september 2025',
      'Ons kenmerk: PS-2025-42',
      // The two headers over the amounts wrap onto a second line.
      'Actie Eenheid Gevraagd Gevraagd Bevestigd Per eenheid Bevestigd bedrag bedrag',
      `1.200 ${euro(30_000_00)} 1.000 ${euro(25_00)} ${euro(25_000_00)}`,
      'Verminderingen',
      '3. Ontmoetingsmomenten organiseren in de buurt, deelnemers van buitenlandse herkomst: 1.000 bevestigd van 1.200 gevraagd. Reden: Het bereik is hoger dan de doelgroep in de gemeente.',
      '4. Ontmoetingsmomenten organiseren in de buurt, deelnemers van buitenlandse herkomst: 1.000 bevestigd van 1.200 gevraagd. Reden: geen reden opgegeven.',
      `Voorschot: ${euro(78_400_00)}, betaald via de betalingslijst zodra de verdeling van het budget gepubliceerd is.`,
      `Saldo: ${euro(19_600_00)}, betaald na de aanvaarding van de eindrapportage (in te dienen uiterlijk 15 oktober 2026 om 23:59)`,
      'Rapportering en voorwaarden',
      'Beroepsmogelijkheden',
      'Tegen deze beslissing kunt u binnen 60 dagen beroep instellen bij de Raad van State.',
      'Namens het Agentschap Binnenlands Bestuur, An Peeters Afdelingshoofd Lokale Besturen',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('5. Ontmoetingsmomenten organiseren in de buurt, deelnemers van buitenlandse herkomst: 1.200 bevestigd');
  });

  it('leaves out the means of appeal and the signatory the call does not name, and states them on a refusal too', async () => {
    const bare = await letterText(await renderDecisionLetterPdf(letter({ appealText: '', signatoryName: '', signatoryFunction: '' })));
    expect(bare).not.toContain('Beroepsmogelijkheden');
    expect(bare).toMatch(/Namens het Agentschap Binnenlands Bestuur,$/);
    const refusal = await letterText(await renderDecisionLetterPdf(letter({ approved: false, refusalReason: 'Te laat.' })));
    expect(refusal).toContain('Aan: Het college van burgemeester en schepenen van Sint-Genesius-Rode');
    expect(refusal).toContain('Beroepsmogelijkheden Tegen deze beslissing kunt u binnen 60 dagen');
    expect(refusal).toContain('An Peeters');
  });

  it('states the allocated amount when an allocation run was published', async () => {
    const allocation = { allocatedCents: 90_000_00, note: 'Het budget volstond niet: elke aanvraag kreeg 91,84 % van het bevestigde bedrag.' };
    const text = await letterText(await renderDecisionLetterPdf(letter({ allocation, advanceCents: 72_000_00, balanceCents: 18_000_00 })));
    expect(text).toContain('Toegewezen bedrag na de verdeling van het budget');
    expect(text).toContain(euro(90_000_00));
    expect(text).toContain(euro(72_000_00));
    expect(text).toContain('Voorschot en saldo zijn berekend op het toegewezen bedrag');
    expect(text).not.toContain('zoals gevraagd voor de verdeling');
  });

  it('gives the reason and no amounts for a refusal', async () => {
    const text = await letterText(await renderDecisionLetterPdf(letter({ approved: false, refusalReason: 'De aanvraag kwam te laat binnen.' })));
    expect(text).toContain('Afgewezen op 22 september 2025');
    expect(text).toContain('Reden');
    expect(text).toContain('De aanvraag kwam te laat binnen.');
    expect(text).not.toContain('Voorschot');
  });

  it('gives the same bytes for the same letter, other bytes for another', async () => {
    const sha = async (content: DecisionLetterContent) =>
      createHash('sha256')
        .update(await renderDecisionLetterPdf(content))
        .digest('hex');
    expect(await sha(letter())).toBe(await sha(letter()));
    expect(await sha(letter({ totalCents: 98_000_01 }))).not.toBe(await sha(letter()));
    expect(await sha(letter({ issuedAt: '2025-09-23T10:00:00Z' }))).not.toBe(await sha(letter()));
  });

  it('continues a long table over several pages with the header repeated and numbered pages', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => kpiLine(i + 1));
    const texts = await pageTexts(await renderDecisionLetterPdf(letter({ lines })));
    expect(texts.length).toBeGreaterThan(1);
    texts.forEach((text, i) => expect(text).toContain(`Pagina ${i + 1} van ${texts.length}`));
    expect(texts[1]).toContain('Per eenheid');
    const all = texts.join(' ');
    for (let i = 1; i <= 60; i++) expect(all).toContain(`${i}. Ontmoetingsmomenten`);
  });

  it('wraps long text within the page', async () => {
    const reason = 'Onvoldoende onderbouwd. '.repeat(400);
    const texts = await pageTexts(await renderDecisionLetterPdf(letter({ approved: false, refusalReason: reason, applicantName: 'X'.repeat(300) })));
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join(' ').match(/Onvoldoende onderbouwd\./g)).toHaveLength(400);
    expect(texts[0]).not.toContain('X'.repeat(300));
  });

  it('renders control characters, emoji and accents without breaking the PDF', async () => {
    const applicantName = 'Gemeente\u0000 Zele\u0007\u001b 😀 – café “De Ruïne” \u200b\u202eŽ';
    const pdf = await renderDecisionLetterPdf(letter({ applicantName, refusedStimuli: [{ name: 'Sociale impact obligatie', reason: 'Één\r\nlijn 日本' }] }));
    const [text] = await pageTexts(pdf);
    expect(text).toContain('Gemeente Zele ? – café “De Ruïne” Ž');
    expect(text).toContain('Sociale impact obligatie: geweigerd. Één');
    expect(text).toContain('lijn ??');
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(doc.getTitle()).toBe('Beslissingsbrief – Gemeente Zele 😀 – café “De Ruïne” Ž – Plan Samenleven 2025');
  });

  it('refuses amounts that are not whole cents and an issuedAt that is no date', async () => {
    await expect(renderDecisionLetterPdf(letter({ totalCents: 1.5 }))).rejects.toThrow(RangeError);
    await expect(renderDecisionLetterPdf(letter({ issuedAt: 'gisteren' }))).rejects.toThrow(RangeError);
  });
});
