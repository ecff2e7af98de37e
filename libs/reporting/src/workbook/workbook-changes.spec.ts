import { ReportLineView, ReportView } from '../report-view';
import { changesSince, StaleWorkbook } from './workbook-changes';
import { WorkbookStamp } from './workbook-layout';

const line = (overrides: Partial<ReportLineView>): ReportLineView => ({
  kpiLineId: 101,
  actionNumber: 5,
  actionTitleNl: 'Taalcafés',
  unitNl: 'sessies',
  confirmedQuantity: 10,
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
});

const report = (lines: ReportLineView[], overrides: Partial<ReportView> = {}): ReportView => ({
  applicationId: 42,
  applicantId: 7,
  applicantNameNl: 'Gemeente Lier',
  callYear: 2025,
  kind: 'interim',
  status: 'draft',
  version: 4,
  dueAt: null,
  open: true,
  reopenedUntil: null,
  submittedAt: null,
  late: false,
  reviewComment: null,
  lines,
  ...overrides,
});

const stamp: WorkbookStamp = {
  applicationId: 42,
  kind: 'interim',
  version: 2,
  status: 'draft',
  lines: [
    { kpiLineId: 101, realisedQuantity: 8, approach: 'Wekelijks\r\nin de bib', partners: '', motivation: '', evidenceIds: [] },
    { kpiLineId: 102, realisedQuantity: null, approach: '', partners: 'CVO', motivation: '', evidenceIds: [3] },
  ],
};

describe('changesSince', () => {
  it('names each changed field of each line by its Dutch label, old → new', () => {
    const now = report([
      line({ kpiLineId: 101, realisedQuantity: 12_000, approach: 'Wekelijks\nin de bib' }),
      line({
        kpiLineId: 102,
        actionNumber: 1,
        actionTitleNl: 'Een lokaal actieplan',
        unitNl: 'lokaal actieplan',
        partners: '',
        motivation: 'x'.repeat(100),
        evidence: [
          { id: 3, filename: 'a.pdf', sizeBytes: 1 },
          { id: 9, filename: 'verslag.pdf', sizeBytes: 1 },
        ],
      }),
    ]);
    expect(changesSince(stamp, now)).toEqual([
      { kpiLineId: 101, line: 'Actie 5. Taalcafés (sessies)', field: 'realisedQuantity', label: 'Gerealiseerd', before: '8', after: '12.000' },
      { kpiLineId: 102, line: 'Actie 1. Een lokaal actieplan (lokaal actieplan)', field: 'partners', label: 'Partners', before: '"CVO"', after: 'leeg' },
      {
        kpiLineId: 102,
        line: 'Actie 1. Een lokaal actieplan (lokaal actieplan)',
        field: 'motivation',
        label: 'Motivering',
        before: 'leeg',
        after: `"${'x'.repeat(59)}…"`,
      },
      {
        kpiLineId: 102,
        line: 'Actie 1. Een lokaal actieplan (lokaal actieplan)',
        field: 'evidence',
        label: 'Bewijsstukken',
        before: '1',
        after: '2 (nieuw: verslag.pdf)',
      },
    ]);
  });

  it('names a change of status, and nothing when only the version moved', () => {
    const same = report([
      line({ kpiLineId: 101, realisedQuantity: 8, approach: 'Wekelijks\nin de bib' }),
      line({ kpiLineId: 102, partners: 'CVO', evidence: [{ id: 3, filename: 'a.pdf', sizeBytes: 1 }] }),
    ]);
    expect(changesSince(stamp, same)).toEqual([]);
    expect(changesSince(stamp, { ...same, status: 'submitted' })).toEqual([
      { kpiLineId: null, line: 'Rapport', field: 'status', label: 'Status', before: 'in opmaak', after: 'ingediend' },
    ]);
  });
});

describe('StaleWorkbook', () => {
  it('is a stale-version refusal on the workbook field, with the versions, the changes and what to do', () => {
    const refusal = StaleWorkbook.of(stamp, report([line({ kpiLineId: 101, realisedQuantity: 9, approach: 'Wekelijks\nin de bib' })]));
    expect(refusal.code).toBe('stale_version');
    expect(refusal.message).toBe(
      'Dit Excel-bestand is gemaakt van versie 2 van het rapport; nu is het versie 4. Intussen gewijzigd: Actie 5. Taalcafés (sessies), Gerealiseerd: 8 → 9. ' +
        'Er is niets bewaard. Download een nieuw Excel-bestand, neem uw wijzigingen daarin over en laad het opnieuw op.',
    );
    expect(refusal.fields).toEqual({ workbook: [refusal.message] });
    expect(refusal.withFreshWorkbook('/api/x').details).toMatchObject({
      downloadedVersion: 2,
      currentVersion: 4,
      freshWorkbookUrl: '/api/x',
      changes: refusal.changes,
    });
  });

  it('shows at most eight changes and counts the rest', () => {
    const lines = Array.from({ length: 10 }, (_, i) => line({ kpiLineId: 200 + i, realisedQuantity: i }));
    const many: WorkbookStamp = {
      ...stamp,
      lines: lines.map((l) => ({ kpiLineId: l.kpiLineId, realisedQuantity: null, approach: '', partners: '', motivation: '', evidenceIds: [] })),
    };
    expect(StaleWorkbook.of(many, report(lines)).message).toContain('; en nog 2 andere wijzigingen.');
  });
});
