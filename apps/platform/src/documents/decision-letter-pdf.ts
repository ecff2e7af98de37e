import { PageSizes, PDFDocument, PDFFont, PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { assertCents, Cents, formatEuro } from '@ps/kernel';
import { FORMAT_HELPERS } from './format-helpers';

/** One confirmed KPI line as the letter's table shows it. */
export interface DecisionLetterLine {
  /** "3. Ontmoetingsmomenten organiseren": action number and title. */
  action: string;
  /** The KPI's unit, e.g. "deelnemers van buitenlandse herkomst". */
  unit: string;
  requestedQuantity: number;
  /** The Flemish contribution requested for the line. */
  requestedAmountCents: Cents;
  confirmedQuantity: number;
  unitAmountCents: Cents;
  amountCents: Cents;
  /** Why less was confirmed than requested ('' when nothing was given or nothing reduced). */
  reductionReason: string;
}

export interface DecisionLetterGrantedStimulus {
  name: string;
  amountCents: Cents;
}

export interface DecisionLetterRefusedStimulus {
  name: string;
  reason: string;
}

/** Present once an allocation run is published: the advance and balance are then computed on the allocated amount. */
export interface DecisionLetterAllocation {
  allocatedCents: Cents;
  note: string;
}

/** Everything the decision letter shows, already formatted where the HTML letter formats (dates); amounts in cents. */
export interface DecisionLetterContent {
  /** Dossier number, e.g. "PS-2025-42". */
  reference: string;
  /** This letter's own reference: the dossier number, with the allocation run for a letter after the allocation. */
  letterReference: string;
  /** The addressee: the lead local government, e.g. "Het college van burgemeester en schepenen van Lier". */
  addressee: string;
  /** Its postal address, '' when the platform does not know it. */
  addresseeAddress: string;
  /** The letter's date as shown, e.g. "22 september 2025". */
  letterDate: string;
  applicantName: string;
  /** The call's name, e.g. "Plan Samenleven 2025". */
  callName: string;
  projectStart: string;
  projectEnd: string;
  approved: boolean;
  /** The decision date as shown, e.g. "23 september 2022". */
  decisionDate: string;
  /** ISO 8601 instant (the decision); fixes the PDF's creation and modification dates so the same letter gives the same bytes. */
  issuedAt: string;
  /** Shown instead of the amounts when the application is refused. */
  refusalReason: string;
  lines: DecisionLetterLine[];
  grantedStimuli: DecisionLetterGrantedStimulus[];
  refusedStimuli: DecisionLetterRefusedStimulus[];
  /** Toegekende Vlaamse bijdrage: the confirmed KPI lines and the granted stimuli. */
  totalCents: Cents;
  /** Minimal local cofinancing: the confirmed KPI lines (stimuli need none). */
  cofinancingCents: Cents;
  advancePercent: number;
  advanceCents: Cents;
  balancePercent: number;
  balanceCents: Cents;
  /** Formatted due moment of the interim report, '' when the call has none. */
  interimReportDue: string;
  interimThresholdPercent: number;
  /** Formatted due moment of the final report, '' when the call has none. */
  finalReportDue: string;
  /** When the advance and the balance are paid, in words. */
  advancePaid: string;
  balancePaid: string;
  /** Name and function of the ABB official who decided ('' when the call names none). */
  signatoryName: string;
  signatoryFunction: string;
  /** How and within what term the decision can be contested, as ABB set it for the call ('' when not set). */
  appealText: string;
  allocation?: DecisionLetterAllocation;
}

const [PAGE_WIDTH, PAGE_HEIGHT] = PageSizes.A4;
const MARGIN = 56.7; // 2 cm
const CONTENT_BOTTOM = 72; // leaves room for the footer
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const BODY_SIZE = 10;
const TABLE_SIZE = 8.5;
const CELL_PADDING = 4;
const LEADING = 1.35;
const RULE_COLOR = rgb(0.7, 0.7, 0.7);
const TEXT_COLOR = rgb(0.04, 0.05, 0.05);
const PRODUCER = 'Plan Samenleven';

type Align = 'left' | 'right';

interface Column {
  header: string;
  width: number;
  align: Align;
  bold?: boolean;
}

interface TextStyle {
  font: PDFFont;
  size: number;
}

// Controls other than line feed, and invisible format characters (zero-width, bidi overrides, soft hyphen, variation selectors).
const INVISIBLE = /(?!\n)\p{Cc}|\p{Cf}|[\uFE00-\uFE0F]/gu;

/** Text as drawable with a standard font: no controls, Intl's no-break spaces as spaces, anything WinAnsi lacks as '?'. */
function drawable(text: string, charset: ReadonlySet<number>): string {
  const cleaned = text
    .normalize('NFC')
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/[\t\u00A0\u2007\u202F]/g, ' ')
    .replace(INVISIBLE, '');
  return Array.from(cleaned, (char) => (char === '\n' || charset.has(char.codePointAt(0)!) ? char : '?')).join('');
}

/** For the document information (Unicode allowed): one line without controls. */
function metadataText(text: string): string {
  return text.replace(/\s+/g, ' ').replace(INVISIBLE, '').replace(/ {2,}/g, ' ').trim();
}

function euro(cents: Cents): string {
  return formatEuro(assertCents(cents));
}

function quantity(value: number): string {
  return FORMAT_HELPERS.formatNumber(value);
}

/** Breaks a word wider than the line into pieces that fit, character by character. */
function breakWord(word: string, style: TextStyle, width: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const char of word) {
    if (piece && style.font.widthOfTextAtSize(piece + char, style.size) > width) {
      pieces.push(piece);
      piece = '';
    }
    piece += char;
  }
  return [...pieces, piece];
}

function wrapParagraph(paragraph: string, style: TextStyle, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of paragraph.split(' ').filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (style.font.widthOfTextAtSize(candidate, style.size) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    const pieces = breakWord(word, style, width);
    lines.push(...pieces.slice(0, -1));
    line = pieces[pieces.length - 1];
  }
  return [...lines, line];
}

/** Lines of at most width points; line feeds in the text start a new line. */
function wrap(text: string, style: TextStyle, width: number): string[] {
  return text.split('\n').flatMap((paragraph) => wrapParagraph(paragraph, style, width));
}

/** Lays the letter out top to bottom, starting a new page whenever the next line does not fit. */
class LetterLayout {
  private page!: PDFPage;
  private y = 0;
  private readonly charset: ReadonlySet<number>;

  constructor(
    private readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.charset = new Set(regular.getCharacterSet());
    this.newPage();
  }

  private newPage(): void {
    this.page = this.doc.addPage(PageSizes.A4);
    this.y = PAGE_HEIGHT - MARGIN;
  }

  private ensureSpace(height: number, onNewPage?: () => void): void {
    if (this.y - height >= CONTENT_BOTTOM) return;
    this.newPage();
    onNewPage?.();
  }

  private lines(text: string, style: TextStyle, width: number): string[] {
    return wrap(drawable(text, this.charset), style, width);
  }

  private drawLine(text: string, style: TextStyle, x: number, width: number, align: Align): void {
    if (!text) return;
    const offset = align === 'right' ? width - style.font.widthOfTextAtSize(text, style.size) : 0;
    this.page.drawText(text, { x: x + offset, y: this.y - style.size, font: style.font, size: style.size, color: TEXT_COLOR });
  }

  private rule(): void {
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: MARGIN + CONTENT_WIDTH, y: this.y }, thickness: 0.5, color: RULE_COLOR });
  }

  space(points: number): void {
    this.y -= points;
  }

  paragraph(text: string, options: { bold?: boolean; size?: number; bullet?: boolean } = {}): void {
    const style = { font: options.bold ? this.bold : this.regular, size: options.size ?? BODY_SIZE };
    const indent = options.bullet ? 12 : 0;
    this.lines(text, style, CONTENT_WIDTH - indent).forEach((line, index) => {
      this.ensureSpace(style.size * LEADING);
      if (options.bullet && index === 0) this.drawLine('•', style, MARGIN + indent - 10, 10, 'left');
      this.drawLine(line, style, MARGIN + indent, CONTENT_WIDTH - indent, 'left');
      this.y -= style.size * LEADING;
    });
    this.y -= style.size * 0.5;
  }

  /** A heading never ends a page: it keeps room for a few lines after it. */
  heading(text: string, size: number): void {
    this.space(size * 0.6);
    this.ensureSpace(size * LEADING + 4 * BODY_SIZE * LEADING);
    this.paragraph(text, { bold: true, size });
  }

  /** One table row; a row taller than what is left of the page moves to the next, one taller than a page continues there. */
  private row(cells: string[], columns: Column[], size: number, onNewPage?: () => void): void {
    const styles = columns.map((column) => ({ font: column.bold ? this.bold : this.regular, size }));
    const wrapped = columns.map((column, i) => this.lines(cells[i], styles[i], column.width - 2 * CELL_PADDING));
    const count = Math.max(...wrapped.map((lines) => lines.length));
    const lineHeight = size * LEADING;
    this.ensureSpace(Math.min(count * lineHeight + 2 * CELL_PADDING, PAGE_HEIGHT - MARGIN - CONTENT_BOTTOM), onNewPage);
    this.y -= CELL_PADDING;
    for (let line = 0; line < count; line++) {
      this.ensureSpace(lineHeight + CELL_PADDING, onNewPage);
      let x = MARGIN;
      columns.forEach((column, i) => {
        this.drawLine(wrapped[i][line] ?? '', styles[i], x + CELL_PADDING, column.width - 2 * CELL_PADDING, column.align);
        x += column.width;
      });
      this.y -= lineHeight;
    }
    this.y -= CELL_PADDING;
    this.rule();
  }

  /** A table whose header repeats on every page it runs over. */
  table(columns: Column[], rows: string[][]): void {
    const headerColumns = columns.map((column) => ({ ...column, bold: true }));
    const header = () =>
      this.row(
        headerColumns.map((column) => column.header),
        headerColumns,
        TABLE_SIZE,
      );
    this.ensureSpace(4 * TABLE_SIZE * LEADING);
    header();
    for (const cells of rows) this.row(cells, columns, TABLE_SIZE, header);
    this.space(BODY_SIZE);
  }

  /** Key and value side by side, as the HTML letter's summary lists. */
  summary(rows: [string, string][], keyShare: number): void {
    const keyWidth = CONTENT_WIDTH * keyShare;
    const columns: Column[] = [
      { header: '', width: keyWidth, align: 'left', bold: true },
      { header: '', width: CONTENT_WIDTH - keyWidth, align: 'left' },
    ];
    for (const [key, value] of rows) {
      this.row([key, value], columns, BODY_SIZE);
    }
    this.space(BODY_SIZE);
  }

  /** Draws "Pagina x van n" (and the dossier number) at the foot of every page, once all pages exist. */
  footers(reference: string): void {
    const pages = this.doc.getPages();
    const style = { font: this.regular, size: 8 };
    pages.forEach((page, index) => {
      this.page = page;
      this.y = CONTENT_BOTTOM - 36;
      this.drawLine(drawable(`Beslissingsbrief ${reference}`, this.charset), style, MARGIN, CONTENT_WIDTH, 'left');
      this.drawLine(`Pagina ${index + 1} van ${pages.length}`, style, MARGIN, CONTENT_WIDTH, 'right');
    });
  }
}

const NUMERIC_LINE_COLUMNS: Column[] = [
  { header: 'Gevraagd', width: 48, align: 'right' },
  { header: 'Gevraagd bedrag', width: 66, align: 'right' },
  { header: 'Bevestigd', width: 50, align: 'right' },
  { header: 'Per eenheid', width: 58, align: 'right' },
  { header: 'Bevestigd bedrag', width: 68, align: 'right' },
];
const LINE_TEXT_WIDTH = CONTENT_WIDTH - NUMERIC_LINE_COLUMNS.reduce((sum, column) => sum + column.width, 0);
const LINE_COLUMNS: Column[] = [
  { header: 'Actie', width: LINE_TEXT_WIDTH * 0.55, align: 'left' },
  { header: 'Eenheid', width: LINE_TEXT_WIDTH * 0.45, align: 'left' },
  ...NUMERIC_LINE_COLUMNS,
];

const STIMULUS_COLUMNS: Column[] = [
  { header: 'Stimulans', width: CONTENT_WIDTH - 170, align: 'left' },
  { header: 'Bedrag (zonder cofinanciering)', width: 170, align: 'right' },
];

function drawHead(layout: LetterLayout, letter: DecisionLetterContent): void {
  layout.paragraph('Vlaamse overheid – Agentschap Binnenlands Bestuur');
  layout.paragraph(`Aan: ${letter.addressee}${letter.addresseeAddress ? `\n${letter.addresseeAddress}` : ''}`);
  layout.paragraph(`Datum: ${letter.letterDate}\nOns kenmerk: ${letter.letterReference}`);
  layout.heading('Beslissing over uw aanvraag Plan Samenleven', 16);
  layout.summary(
    [
      ['Projectindiener', letter.applicantName],
      ['Projectjaar', `${letter.callName} (projectperiode ${letter.projectStart} – ${letter.projectEnd})`],
      ['Beslissing', `${letter.approved ? 'Goedgekeurd' : 'Afgewezen'} op ${letter.decisionDate}`],
      ['Dossiernummer', letter.reference],
    ],
    0.3,
  );
}

function drawLines(layout: LetterLayout, lines: DecisionLetterLine[]): void {
  layout.heading("Bevestigde KPI's", 12);
  layout.paragraph('U rapporteert over de bevestigde hoeveelheden, niet over het gevraagde bereik.');
  const rows = lines.map((line) => [
    line.action,
    line.unit,
    quantity(line.requestedQuantity),
    euro(line.requestedAmountCents),
    quantity(line.confirmedQuantity),
    euro(line.unitAmountCents),
    euro(line.amountCents),
  ]);
  layout.table(LINE_COLUMNS, rows);
  const reduced = lines.filter((line) => line.confirmedQuantity < line.requestedQuantity);
  if (reduced.length === 0) return;
  layout.heading('Verminderingen', 12);
  for (const line of reduced) layout.paragraph(reductionText(line), { bullet: true });
}

/** One reduced line in words, the same sentence as in the HTML letter. */
export function reductionText(line: DecisionLetterLine): string {
  const what = `${line.action}, ${line.unit}: ${quantity(line.confirmedQuantity)} bevestigd van ${quantity(line.requestedQuantity)} gevraagd`;
  return `${what}. Reden: ${line.reductionReason || 'geen reden opgegeven.'}`;
}

function drawStimuli(layout: LetterLayout, letter: DecisionLetterContent): void {
  if (letter.grantedStimuli.length > 0) {
    layout.heading('Toegekende stimuli', 12);
    layout.table(
      STIMULUS_COLUMNS,
      letter.grantedStimuli.map((stimulus) => [stimulus.name, euro(stimulus.amountCents)]),
    );
  }
  if (letter.refusedStimuli.length > 0) {
    layout.heading('Geweigerde stimuli', 12);
    for (const stimulus of letter.refusedStimuli) layout.paragraph(`${stimulus.name}: geweigerd. ${stimulus.reason}`);
  }
}

function drawAmounts(layout: LetterLayout, letter: DecisionLetterContent): void {
  const withStimuli = letter.grantedStimuli.length > 0;
  const allocation = letter.allocation;
  layout.space(BODY_SIZE / 2);
  layout.summary(
    [
      [`Toegekende Vlaamse bijdrage${withStimuli ? " (KPI's en stimuli)" : ''}`, euro(letter.totalCents)],
      ...(allocation ? [['Toegewezen bedrag na de verdeling van het budget', euro(allocation.allocatedCents)] as [string, string]] : []),
      [`Voorschot (${letter.advancePercent} %)`, euro(letter.advanceCents)],
      [`Saldo (${letter.balancePercent} %, na de eindrapportage)`, euro(letter.balanceCents)],
      [`Lokale cofinanciering (minstens${withStimuli ? ", op de KPI's" : ''})`, euro(letter.cofinancingCents)],
    ],
    0.7,
  );
  if (allocation) {
    if (allocation.note.trim()) layout.paragraph(allocation.note);
    layout.paragraph('Voorschot en saldo zijn berekend op het toegewezen bedrag na de verdeling van het budget.');
  } else {
    layout.paragraph(
      'De bevestigde bedragen zijn zoals gevraagd voor de verdeling van het budget; voorschot en saldo zijn berekend op de toegekende Vlaamse bijdrage.',
    );
  }
}

function drawPayments(layout: LetterLayout, letter: DecisionLetterContent): void {
  layout.heading('Betaling', 12);
  layout.paragraph(`Voorschot: ${euro(letter.advanceCents)}, ${letter.advancePaid}`, { bullet: true });
  layout.paragraph(`Saldo: ${euro(letter.balanceCents)}, ${letter.balancePaid}`, { bullet: true });
}

function drawConditions(layout: LetterLayout, letter: DecisionLetterContent): void {
  layout.heading('Rapportering en voorwaarden', 12);
  const conditions = [
    'Het lokaal bestuur financiert minstens hetzelfde bedrag mee (cofinanciering 1:1).',
    letter.interimReportDue &&
      `Tussentijdse rapportering over 1 oktober tot 31 maart, uiterlijk ${letter.interimReportDue}: per KPI moet ${letter.interimThresholdPercent} % bereikt zijn om de actie te kunnen verlengen.`,
    letter.finalReportDue && `Eindrapportage uiterlijk ${letter.finalReportDue}; daarna volgt het saldo.`,
    'Wordt een KPI niet gehaald en de motivering niet aanvaard, dan kan ABB subsidie terugvorderen van de trekker. De berekening wordt u altijd getoond.',
  ];
  for (const condition of conditions) if (condition) layout.paragraph(condition, { bullet: true });
}

function drawDecision(layout: LetterLayout, letter: DecisionLetterContent): void {
  if (!letter.approved) {
    layout.heading('Reden', 12);
    layout.paragraph(letter.refusalReason);
    return;
  }
  drawLines(layout, letter.lines);
  drawStimuli(layout, letter);
  drawAmounts(layout, letter);
  drawPayments(layout, letter);
  drawConditions(layout, letter);
}

function drawClosing(layout: LetterLayout, letter: DecisionLetterContent): void {
  if (letter.appealText) {
    layout.heading('Beroepsmogelijkheden', 12);
    layout.paragraph(letter.appealText);
  }
  layout.space(BODY_SIZE);
  const signatory = [letter.signatoryName, letter.signatoryFunction].filter(Boolean).join('\n');
  layout.paragraph(`Namens het Agentschap Binnenlands Bestuur,${signatory ? `\n${signatory}` : ''}`);
}

function issuedAt(letter: DecisionLetterContent): Date {
  const date = new Date(letter.issuedAt);
  if (Number.isNaN(date.getTime())) throw new RangeError(`issuedAt must be an ISO 8601 moment, got "${letter.issuedAt}"`);
  return date;
}

function setMetadata(doc: PDFDocument, letter: DecisionLetterContent): void {
  const date = issuedAt(letter);
  doc.setTitle(metadataText(`Beslissingsbrief – ${letter.applicantName} – ${letter.callName}`));
  doc.setSubject(metadataText(`Beslissing over aanvraag ${letter.reference}`));
  doc.setAuthor('Vlaamse overheid – Agentschap Binnenlands Bestuur');
  doc.setProducer(PRODUCER);
  doc.setCreator(PRODUCER);
  doc.setLanguage('nl-BE');
  doc.setCreationDate(date);
  doc.setModificationDate(date);
}

/**
 * The decision letter as an A4 PDF with the same content and wording as the HTML letter. Deterministic:
 * the same letter always gives the same bytes (the dates come from issuedAt), so its SHA-256 can be stored.
 */
export async function renderDecisionLetterPdf(letter: DecisionLetterContent): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  setMetadata(doc, letter);
  const layout = new LetterLayout(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));
  drawHead(layout, letter);
  drawDecision(layout, letter);
  drawClosing(layout, letter);
  layout.footers(letter.reference);
  return Buffer.from(await doc.save({ addDefaultPage: false }));
}
