import { Conflict, FieldMessages, RefusalCode } from '@ps/kernel';
import { ReportStatus } from '../report.dto';
import { ReportView } from '../report-view';
import { WorkbookStamp } from './workbook-layout';

/** One difference between the report as the workbook was downloaded and as it is now, by its Dutch labels. */
export interface WorkbookChange {
  kpiLineId: number | null;
  /** "Actie 5. Taalcafés (sessies)", or "Rapport" for the report as a whole. */
  line: string;
  field: 'realisedQuantity' | 'approach' | 'partners' | 'motivation' | 'evidence' | 'status';
  label: string;
  before: string;
  after: string;
}

const LABELS = { realisedQuantity: 'Gerealiseerd', approach: 'Aanpak', partners: 'Partners', motivation: 'Motivering', evidence: 'Bewijsstukken' } as const;
const STATUS_NL: Record<ReportStatus, string> = { draft: 'in opmaak', submitted: 'ingediend', returned: 'teruggestuurd', accepted: 'aanvaard' };
const SHOWN = 8;
const SHORT = 60;

/** What changed in the report since the workbook's stamp, line by line and field by field. */
export function changesSince(stamp: WorkbookStamp, now: ReportView): WorkbookChange[] {
  const then = new Map(stamp.lines.map((line) => [line.kpiLineId, line]));
  const changes: WorkbookChange[] = [];
  if (stamp.status !== now.status) {
    changes.push({ kpiLineId: null, line: 'Rapport', field: 'status', label: 'Status', before: STATUS_NL[stamp.status], after: STATUS_NL[now.status] });
  }
  for (const line of now.lines) {
    const was = then.get(line.kpiLineId);
    if (!was) continue;
    const name = `Actie ${line.actionNumber}. ${line.actionTitleNl} (${line.unitNl})`;
    const change = (field: keyof typeof LABELS, before: string, after: string) =>
      changes.push({ kpiLineId: line.kpiLineId, line: name, field, label: LABELS[field], before, after });
    if (was.realisedQuantity !== line.realisedQuantity) change('realisedQuantity', quantity(was.realisedQuantity), quantity(line.realisedQuantity));
    for (const field of ['approach', 'partners', 'motivation'] as const) {
      if (lineEnds(was[field]) !== lineEnds(line[field])) change(field, text(was[field]), text(line[field]));
    }
    const added = line.evidence.filter((file) => !was.evidenceIds.includes(file.id)).map((file) => file.filename);
    if (added.length > 0) change('evidence', `${was.evidenceIds.length}`, `${line.evidence.length} (nieuw: ${added.join(', ')})`);
  }
  return changes;
}

/** The Dutch refusal of a workbook made from an older version: what changed since, and what to do now. */
export function staleWorkbookMessage(stamp: WorkbookStamp, now: ReportView, changes: WorkbookChange[]): string {
  const shown = changes.slice(0, SHOWN).map((c) => `${c.line}, ${c.label}: ${c.before} → ${c.after}`);
  if (changes.length > SHOWN) shown.push(`en nog ${changes.length - SHOWN} andere wijzigingen`);
  const what =
    shown.length > 0 ? `Intussen gewijzigd: ${shown.join('; ')}.` : 'Het rapport is intussen op een andere manier gewijzigd (bijvoorbeeld heropend).';
  return (
    `Dit Excel-bestand is gemaakt van versie ${stamp.version} van het rapport; nu is het versie ${now.version}. ${what} ` +
    'Er is niets bewaard. Download een nieuw Excel-bestand, neem uw wijzigingen daarin over en laad het opnieuw op.'
  );
}

/** A workbook based on an older version of the report (409): the changes since its download, and where a fresh one is. */
export class StaleWorkbook extends Conflict {
  override readonly code: RefusalCode = 'stale_version';
  constructor(
    message: string,
    fields: FieldMessages,
    readonly changes: WorkbookChange[],
    details: Record<string, unknown>,
  ) {
    super(message, fields, { ...details, changes });
  }

  static of(stamp: WorkbookStamp, now: ReportView): StaleWorkbook {
    const changes = changesSince(stamp, now);
    const message = staleWorkbookMessage(stamp, now, changes);
    return new StaleWorkbook(message, { workbook: [message] }, changes, { downloadedVersion: stamp.version, currentVersion: now.version });
  }

  /** The same refusal, naming the address of a fresh workbook (`freshWorkbookUrl` in the API's answer). */
  withFreshWorkbook(url: string): StaleWorkbook {
    return new StaleWorkbook(this.message, this.fields, this.changes, { ...this.details, freshWorkbookUrl: url });
  }
}

const lineEnds = (value: string) => value.replace(/\r\n?/g, '\n');
const quantity = (value: number | null) => (value === null ? 'leeg' : value.toLocaleString('nl-BE'));

function text(value: string): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  if (flat === '') return 'leeg';
  return `"${flat.length > SHORT ? `${flat.slice(0, SHORT - 1)}…` : flat}"`;
}
