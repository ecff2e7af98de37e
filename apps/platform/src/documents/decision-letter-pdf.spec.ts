import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { formatEuro } from '@ps/kernel';
import { DecisionLetterContent, DecisionLetterLine, renderDecisionLetterPdf } from './decision-letter-pdf';
import { pageTexts } from '../../../../test/support/pdf';

const plainSpaces = (text: string) => text.replace(/[\u00A0\u202F]/g, ' ');
const euro = (cents: number) => plainSpaces(formatEuro(cents));

function kpiLine(index: number): DecisionLetterLine {
  return {
    action: `${index}. Ontmoetingsmomenten organiseren in de buurt`,
    unit: 'deelnemers van buitenlandse herkomst',
    requestedQuantity: 1200,
    confirmedQuantity: 1000,
    unitAmountCents: 25_00,
    amountCents: 25_000_00,
  };
}

function letter(overrides: Partial<DecisionLetterContent> = {}): DecisionLetterContent {
  return {
    reference: 'PS-2025-42',
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
    ...overrides,
  };
}

describe('decision letter as PDF', () => {
  it('renders an A4 PDF that parses again, with the metadata fixed from the decision', async () => {
    const pdf = await renderDecisionLetterPdf(letter());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getPage(0).getSize()).toEqual({ width: 595.28, height: 841.89 });
    expect(doc.getTitle()).toBe('Beslissingsbrief – Gemeente Sint-Genesius-Rode – Plan Samenleven 2025');
    expect(doc.getProducer()).toBe('Plan Samenleven');
    expect(doc.getCreationDate()).toEqual(new Date('2025-09-22T10:00:00Z'));
    expect(doc.getModificationDate()).toEqual(new Date('2025-09-22T10:00:00Z'));
  });

  it('shows the applicant, the lines, the stimuli and the amounts in the HTML letter’s wording', async () => {
    const [text] = await pageTexts(await renderDecisionLetterPdf(letter()));
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
      'Pagina 1 van 1',
    ]) {
      expect(text).toContain(expected);
    }
    expect(euro(25_000_00)).toBe('€ 25.000,00');
  });

  it('states the allocated amount when an allocation run was published', async () => {
    const allocation = { allocatedCents: 90_000_00, note: 'Het budget volstond niet: elke aanvraag kreeg 91,84 % van het bevestigde bedrag.' };
    const [text] = await pageTexts(await renderDecisionLetterPdf(letter({ allocation, advanceCents: 72_000_00, balanceCents: 18_000_00 })));
    expect(text).toContain('Toegewezen bedrag na de verdeling van het budget');
    expect(text).toContain(euro(90_000_00));
    expect(text).toContain(euro(72_000_00));
    expect(text).toContain('Voorschot en saldo zijn berekend op het toegewezen bedrag');
    expect(text).not.toContain('zoals gevraagd voor de verdeling');
  });

  it('gives the reason and no amounts for a refusal', async () => {
    const [text] = await pageTexts(await renderDecisionLetterPdf(letter({ approved: false, refusalReason: 'De aanvraag kwam te laat binnen.' })));
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
