import { inflateRawSync } from 'node:zlib';
import { CellValue, Workbook, Worksheet } from 'exceljs';
import { ReportLineView, ReportView } from '../report-view';
import { MARKER_SHEET, parseReportWorkbook, REPORT_SHEET, ReportLineInput, reportWorkbook, WorkbookParse } from './report-workbook';

function line(overrides: Partial<ReportLineView>): ReportLineView {
  return {
    kpiLineId: 0,
    actionNumber: 0,
    actionTitleNl: '',
    unitNl: '',
    confirmedQuantity: 0,
    realisedQuantity: null,
    approach: '',
    partners: '',
    motivation: '',
    realisationPercent: null,
    belowThreshold: false,
    motivationRequired: false,
    motivationAccepted: false,
    reviewComment: null,
    evidence: [],
    ...overrides,
  };
}

function report(overrides: Partial<ReportView> = {}): ReportView {
  return {
    applicationId: 42,
    applicantId: 7,
    applicantNameNl: 'Gemeente Sint-Genesius-Rode',
    callYear: 2025,
    kind: 'interim',
    status: 'draft',
    version: 3,
    dueAt: new Date('2026-03-31T21:59:00Z'),
    open: true,
    reopenedUntil: null,
    submittedAt: null,
    late: false,
    reviewComment: null,
    lines: [
      line({
        kpiLineId: 101,
        actionNumber: 3,
        actionTitleNl: 'Ontmoetingsmomenten organiseren',
        unitNl: 'deelnemers van buitenlandse herkomst',
        confirmedQuantity: 1000,
      }),
      line({
        kpiLineId: 102,
        actionNumber: 1,
        actionTitleNl: 'Een lokaal actieplan opmaken',
        unitNl: 'lokaal actieplan',
        confirmedQuantity: 1,
        realisedQuantity: 1,
        approach: 'Stuurgroep opgericht',
        motivationRequired: true,
      }),
      line({ kpiLineId: 103, actionNumber: 7, actionTitleNl: 'Taalcafés', unitNl: 'sessies', confirmedQuantity: 40 }),
    ],
    ...overrides,
  };
}

const ROW = { 101: 8, 102: 9, 103: 10 } as const;

async function open(file: Buffer): Promise<Workbook> {
  return new Workbook().xlsx.load(Uint8Array.from(file).buffer);
}

/** Builds the report's workbook, lets `edit` change it as an officer (or a mischief) would, and returns the saved file. */
async function edited(edit: (sheet: Worksheet, workbook: Workbook) => void, of: ReportView = report()): Promise<Buffer> {
  const workbook = await open(await reportWorkbook(of));
  edit(workbook.getWorksheet(REPORT_SHEET)!, workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function parsedAfter(edit: (sheet: Worksheet, workbook: Workbook) => void): Promise<WorkbookParse> {
  return parseReportWorkbook(await edited(edit), report());
}

const set = (cells: Record<string, CellValue>) => (sheet: Worksheet) => {
  for (const [address, value] of Object.entries(cells)) sheet.getCell(address).value = value;
};

const untouched: ReportLineInput[] = [
  { kpiLineId: 101, realisedQuantity: null, approach: '', partners: '', motivation: '' },
  { kpiLineId: 102, realisedQuantity: 1, approach: 'Stuurgroep opgericht', partners: '', motivation: '' },
  { kpiLineId: 103, realisedQuantity: null, approach: '', partners: '', motivation: '' },
];

describe('reportWorkbook', () => {
  let file: Buffer;
  let workbook: Workbook;
  let sheet: Worksheet;

  beforeAll(async () => {
    file = await reportWorkbook(report());
    workbook = await open(file);
    sheet = workbook.getWorksheet(REPORT_SHEET)!;
  });

  it('heads the sheet with the applicant, the year, the kind and the due date', () => {
    expect(sheet.getCell('A1').value).toBe('Plan Samenleven – Tussentijds rapport');
    expect([2, 3, 4, 5].map((row) => [sheet.getCell(row, 1).value, sheet.getCell(row, 2).value])).toEqual([
      ['Aanvrager', 'Gemeente Sint-Genesius-Rode'],
      ['Projectjaar', 2025],
      ['Soort', 'Tussentijds rapport'],
      ['Termijn', 'uiterlijk 31 maart 2026 23:59'],
    ]);
  });

  it('lists the confirmed KPI lines under a frozen, filtered header row, pre-filled', () => {
    expect(sheet.getRow(7).values).toEqual([
      undefined,
      'KPI-lijn',
      'Actie',
      'Eenheid',
      'Bevestigd',
      'Gerealiseerd',
      'Aanpak',
      'Partners',
      'Motivering',
      'Motivering nodig',
    ]);
    expect(sheet.getRow(ROW[102]).values).toEqual([
      undefined,
      102,
      '1. Een lokaal actieplan opmaken',
      'lokaal actieplan',
      1,
      1,
      'Stuurgroep opgericht',
      undefined,
      undefined,
      'Altijd',
    ]);
    expect(sheet.getCell(`I${ROW[101]}`).value).toBe('Als Gerealiseerd lager is dan Bevestigd');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 7 });
    expect(sheet.autoFilter).toBe('A7:I10');
  });

  it('protects the sheet except the cells the officer fills in, and checks the quantity', () => {
    expect(sheetXml(file)).toMatch(/<sheetProtection sheet="1"[^>]* autoFilter="0"/);
    const unlocked = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'].filter((column) => sheet.getCell(`${column}${ROW[101]}`).protection?.locked === false);
    expect(unlocked).toEqual(['E', 'F', 'G', 'H']);
    expect(sheet.getCell('B2').protection?.locked).not.toBe(false);
    expect(sheet.getCell(`E${ROW[103]}`).dataValidation).toMatchObject({ type: 'whole', operator: 'between', formulae: [0, 10_000_000] });
  });

  it('marks the workbook with the application, the kind and the format on a very hidden sheet', () => {
    const marker = workbook.getWorksheet(MARKER_SHEET)!;
    expect(marker.state).toBe('veryHidden');
    expect(marker.getSheetValues().slice(1, 4)).toEqual([
      [undefined, 'formaat', 'plan-samenleven-rapport-1'],
      [undefined, 'aanvraag', 42],
      [undefined, 'soort', 'interim'],
    ]);
  });

  it('writes texts that look like formulas as text', async () => {
    const risky = report();
    risky.lines[0] = { ...risky.lines[0], approach: '=HYPERLINK("http://evil.example","klik")', partners: '+32 2 123', motivation: '@SUM(1)' };
    risky.applicantNameNl = '-Gemeente';
    const file = await reportWorkbook(risky);
    expect(sheetXml(file)).not.toContain('<f>');
    const reread = (await open(file)).getWorksheet(REPORT_SHEET)!;
    expect([reread.getCell('F8').value, reread.getCell('G8').value, reread.getCell('H8').value, reread.getCell('B2').value]).toEqual([
      '=HYPERLINK("http://evil.example","klik")',
      '+32 2 123',
      '@SUM(1)',
      '-Gemeente',
    ]);
    expect(await parseReportWorkbook(file, risky)).toEqual({
      ok: true,
      lines: [
        { kpiLineId: 101, realisedQuantity: null, approach: '=HYPERLINK("http://evil.example","klik")', partners: '+32 2 123', motivation: '@SUM(1)' },
        ...untouched.slice(1),
      ],
    });
  });

  it('says when the report has no due date and titles a final report', async () => {
    const final = (await open(await reportWorkbook(report({ kind: 'final', dueAt: null })))).getWorksheet(REPORT_SHEET)!;
    expect([final.getCell('A1').value, final.getCell('B4').value, final.getCell('B5').value]).toEqual([
      'Plan Samenleven – Eindrapport',
      'Eindrapport',
      'geen termijn',
    ]);
  });
});

describe('parseReportWorkbook', () => {
  it('gives the lines as the web form would submit them, in the report order', async () => {
    const parsed = await parsedAfter(
      set({
        E10: 12,
        F10: 'Wekelijkse sessies\nin de bib',
        G10: 'Bibliotheek, vzw Buurtwerk',
        H10: 'Minder sessies door de verbouwing.',
        E8: '1200',
        F8: { richText: [{ text: 'Drie ' }, { text: 'buurtfeesten', font: { bold: true } }] },
        G8: 2025,
        H8: '   ',
        F9: null,
        H9: 'Goedgekeurd door de gemeenteraad.',
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      lines: [
        { kpiLineId: 101, realisedQuantity: 1200, approach: 'Drie buurtfeesten', partners: '2025', motivation: '' },
        { kpiLineId: 102, realisedQuantity: 1, approach: '', partners: '', motivation: 'Goedgekeurd door de gemeenteraad.' },
        {
          kpiLineId: 103,
          realisedQuantity: 12,
          approach: 'Wekelijkse sessies\nin de bib',
          partners: 'Bibliotheek, vzw Buurtwerk',
          motivation: 'Minder sessies door de verbouwing.',
        },
      ],
    });
  });

  it('gives the pre-filled values back when nothing changed', async () => {
    expect(await parseReportWorkbook(await reportWorkbook(report()), report())).toEqual({ ok: true, lines: untouched });
  });

  it('empties a quantity that is cleared', async () => {
    const parsed = await parsedAfter(set({ E9: null }));
    expect(parsed.ok && parsed.lines[1].realisedQuantity).toBeNull();
  });

  it('reports exactly the one bad quantity, at its cell, with the message of the web form', async () => {
    expect(await parsedAfter(set({ E8: '-1', E10: 5 }))).toEqual({
      ok: false,
      errors: [{ sheet: 'Rapport', cell: 'E8', message: 'Geef een geheel aantal van 0 tot 10.000.000.' }],
    });
  });

  it.each<[string, CellValue]>([
    ['a decimal comma', '1,5'],
    ['a decimal number', 1.5],
    ['a negative number', -1],
    ['letters', 'abc'],
    ['a thousands separator', '1.000'],
    ['more than ten million', 10_000_001],
  ])('refuses %s as a quantity', async (_, value) => {
    expect(await parsedAfter(set({ E9: value }))).toEqual({
      ok: false,
      errors: [{ sheet: 'Rapport', cell: 'E9', message: 'Geef een geheel aantal van 0 tot 10.000.000.' }],
    });
  });

  it('refuses a date as a quantity', async () => {
    const parsed = await parsedAfter((sheet) => {
      sheet.getCell('E9').value = new Date('2025-01-01T00:00:00Z');
      sheet.getCell('E9').numFmt = 'dd/mm/yyyy';
    });
    expect(parsed).toEqual({ ok: false, errors: [{ sheet: 'Rapport', cell: 'E9', message: 'Geef een geheel aantal van 0 tot 10.000.000.' }] });
  });

  it('accepts the bounds 0 and 10.000.000', async () => {
    const parsed = await parsedAfter(set({ E8: 0, E10: '10000000' }));
    expect(parsed.ok && parsed.lines.map((line) => line.realisedQuantity)).toEqual([0, 1, 10_000_000]);
  });

  it('refuses formulas, wherever they are', async () => {
    expect(await parsedAfter(set({ E8: { formula: '1+1', result: 2 }, F10: { formula: 'A1', result: 'x' }, K3: { formula: 'NOW()' } }))).toEqual({
      ok: false,
      errors: [
        { sheet: 'Rapport', cell: 'K3', message: 'Formules zijn niet toegestaan; vul een waarde in.' },
        { sheet: 'Rapport', cell: 'E8', message: 'Formules zijn niet toegestaan; vul een waarde in.' },
        { sheet: 'Rapport', cell: 'F10', message: 'Formules zijn niet toegestaan; vul een waarde in.' },
      ],
    });
  });

  it('refuses error values', async () => {
    expect(await parsedAfter(set({ G9: { error: '#N/A' } }))).toEqual({
      ok: false,
      errors: [{ sheet: 'Rapport', cell: 'G9', message: 'Deze cel bevat een fout (#N/A); vul een waarde in.' }],
    });
  });

  it('refuses texts longer than the web form accepts', async () => {
    const parsed = await parsedAfter(set({ F8: 'a'.repeat(5_000), G8: 'p'.repeat(2_001), H10: 'm'.repeat(5_001) }));
    expect(parsed).toEqual({
      ok: false,
      errors: [
        { sheet: 'Rapport', cell: 'G8', message: 'Hoogstens 2.000 tekens.' },
        { sheet: 'Rapport', cell: 'H10', message: 'Hoogstens 5.000 tekens.' },
      ],
    });
  });

  it('refuses a moved or renamed column at its header cell', async () => {
    expect(await parsedAfter(set({ F7: 'Werkwijze' }))).toEqual({
      ok: false,
      errors: [{ sheet: 'Rapport', cell: 'F7', message: 'Hier hoort de kolom "Aanpak"; verplaats, hernoem of verwijder geen kolommen.' }],
    });
    const swapped = await parsedAfter(set({ G7: 'Motivering', H7: 'Partners' }));
    expect(!swapped.ok && swapped.errors.map((error) => error.cell)).toEqual(['G7', 'H7']);
  });

  it('refuses a workbook without the sheet "Rapport"', async () => {
    expect(
      await parsedAfter((sheet) => {
        sheet.name = 'Blad1';
      }),
    ).toEqual({ ok: false, errors: [{ sheet: 'Rapport', cell: '', message: 'Het werkblad "Rapport" ontbreekt.' }] });
  });

  it.each([
    ['random bytes', Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7919) % 256))],
    ['a PDF', Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')],
    ['an empty file', Buffer.alloc(0)],
    ['a CSV', Buffer.from('KPI-lijn;Gerealiseerd\r\n101;12\r\n')],
  ])('refuses %s as a whole', async (_, file) => {
    expect(await parseReportWorkbook(file, report())).toEqual({ ok: false, errors: [{ sheet: '', cell: '', message: 'Dit is geen Excel-bestand (.xlsx).' }] });
  });

  it('refuses a truncated workbook as a whole', async () => {
    const file = await reportWorkbook(report());
    expect(await parseReportWorkbook(file.subarray(0, file.length - 100), report())).toEqual({
      ok: false,
      errors: [{ sheet: '', cell: '', message: 'Dit is geen Excel-bestand (.xlsx).' }],
    });
  });

  it('refuses a workbook that unpacks to far more than a report can hold', async () => {
    const bomb = await edited(set({ J20: 'x'.repeat(21 * 1024 * 1024) }));
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    expect(await parseReportWorkbook(bomb, report())).toEqual({ ok: false, errors: [{ sheet: '', cell: '', message: 'Dit is geen Excel-bestand (.xlsx).' }] });
  });

  it('refuses a workbook whose entries unpack to more than they declare', async () => {
    const file = understated(await edited(set({ J20: 'x'.repeat(1024 * 1024) })));
    expect(await parseReportWorkbook(file, report())).toEqual({ ok: false, errors: [{ sheet: '', cell: '', message: 'Dit is geen Excel-bestand (.xlsx).' }] });
  });

  it('refuses a sheet beyond a thousand rows', async () => {
    expect(await parsedAfter(set({ A1001: 'x' }))).toEqual({
      ok: false,
      errors: [{ sheet: 'Rapport', cell: '', message: 'Het werkblad "Rapport" is te groot: hoogstens 1.000 rijen en 50 kolommen.' }],
    });
  });

  it("refuses another application's workbook", async () => {
    const other = await reportWorkbook(report({ applicationId: 43 }));
    expect(await parseReportWorkbook(other, report())).toEqual({
      ok: false,
      errors: [{ sheet: 'Meta', cell: 'B2', message: 'Dit bestand hoort bij een andere aanvraag. Download het bestand van dit rapport en vul dat in.' }],
    });
  });

  it('refuses the workbook of the other report of the same application', async () => {
    const final = await reportWorkbook(report({ kind: 'final' }));
    expect(await parseReportWorkbook(final, report())).toEqual({
      ok: false,
      errors: [{ sheet: 'Meta', cell: 'B3', message: 'Dit bestand hoort bij het eindrapport, niet bij het tussentijds rapport.' }],
    });
  });

  it('refuses a workbook without the marker', async () => {
    const parsed = await parsedAfter((_, workbook) => workbook.removeWorksheet(workbook.getWorksheet(MARKER_SHEET)!.id));
    expect(parsed).toEqual({
      ok: false,
      errors: [{ sheet: 'Meta', cell: 'B1', message: 'Dit is niet het rapportbestand van het platform. Download het bestand van dit rapport en vul dat in.' }],
    });
  });

  it('refuses a row of a KPI line that is not in the report', async () => {
    expect(await parsedAfter(set({ A11: 999, E11: 3 }))).toEqual({
      ok: false,
      errors: [{ sheet: 'Rapport', cell: 'A11', message: 'Deze KPI-lijn is niet bevestigd in deze aanvraag.' }],
    });
  });

  it('refuses a row without a valid KPI line', async () => {
    expect(await parsedAfter(set({ A11: 'abc', F11: 'los' }))).toEqual({
      ok: false,
      errors: [{ sheet: 'Rapport', cell: 'A11', message: 'Ongeldige KPI-lijn.' }],
    });
  });

  it('refuses a KPI line twice and a missing one', async () => {
    expect(await parsedAfter(set({ A10: 101 }))).toEqual({
      ok: false,
      errors: [
        { sheet: 'Rapport', cell: 'A10', message: 'KPI-lijn 101 staat meer dan eens in het bestand.' },
        { sheet: 'Rapport', cell: '', message: 'De rij van KPI-lijn 103 (actie 7. Taalcafés) ontbreekt.' },
      ],
    });
  });

  it('refuses a workbook with a row removed', async () => {
    const parsed = await parsedAfter((sheet) => sheet.spliceRows(ROW[101], 1));
    expect(parsed).toEqual({
      ok: false,
      errors: [{ sheet: 'Rapport', cell: '', message: 'De rij van KPI-lijn 101 (actie 3. Ontmoetingsmomenten organiseren) ontbreekt.' }],
    });
  });

  it('ignores empty rows and notes beside the table', async () => {
    const parsed = await parsedAfter(set({ A12: '  ', J8: 'nota voor mezelf', A20: null }));
    expect(parsed).toEqual({ ok: true, lines: untouched });
  });
});

const CENTRAL_FILE_HEADER = 0x02014b50;

/** The zip's worksheet XML, for checking what exceljs wrote. */
function sheetXml(file: Buffer): string {
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const at = file.indexOf(name);
  const localHeader = at - 30;
  const compressedSize = file.readUInt32LE(localHeader + 18);
  const start = at + name.length + file.readUInt16LE(localHeader + 28);
  return inflateRawSync(file.subarray(start, start + compressedSize)).toString('utf8');
}

/** Declares every entry 100 bytes long, whatever it unpacks to. */
function understated(file: Buffer): Buffer {
  const copy = Buffer.from(file);
  for (let at = copy.indexOf(uint32(CENTRAL_FILE_HEADER)); at >= 0; at = copy.indexOf(uint32(CENTRAL_FILE_HEADER), at + 4)) copy.writeUInt32LE(100, at + 24);
  return copy;
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}
