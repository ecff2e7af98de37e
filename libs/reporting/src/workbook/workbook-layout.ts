import type { ReportKind, ReportStatus } from '../report.dto';

/** Where things are in the report workbook; shared by the builder (main thread) and the parser (worker thread). */

export const REPORT_SHEET = 'Rapport';
/** Very hidden sheet holding the application, the kind, the format and the stamp of the report as downloaded. */
export const MARKER_SHEET = 'Meta';
export const FORMAT = 'plan-samenleven-rapport-1';
/** Marker rows (column B holds the value); from STAMP_LINES_ROW one row per KPI line as downloaded. */
export const MARKER_ROWS = { format: 1, application: 2, kind: 3, version: 4, seal: 5, status: 6 } as const;
export const STAMP_LINES_ROW = 7;

/** One KPI line as the upload gives it: what the web form submits for the same values. */
export interface ReportLineInput {
  kpiLineId: number;
  realisedQuantity: number | null;
  approach: string;
  partners: string;
  motivation: string;
}

/** One KPI line as it stood when the workbook was downloaded. */
export interface StampLine extends ReportLineInput {
  evidenceIds: number[];
}

/** The report as it stood when the workbook was made: its version, status and lines, sealed by the platform. */
export interface WorkbookStamp {
  applicationId: number;
  kind: ReportKind;
  version: number;
  status: ReportStatus;
  lines: StampLine[];
}

export const HEADER_ROW = 7;
export const FIRST_LINE_ROW = HEADER_ROW + 1;
export const COLUMNS = [
  { header: 'KPI-lijn', width: 10 },
  { header: 'Actie', width: 42 },
  { header: 'Eenheid', width: 32 },
  { header: 'Bevestigd', width: 12 },
  { header: 'Gerealiseerd', width: 14 },
  { header: 'Aanpak', width: 50 },
  { header: 'Partners', width: 40 },
  { header: 'Motivering', width: 50 },
  { header: 'Motivering nodig', width: 26 },
];
export type Field = keyof ReportLineInput;
/** The column (1 = A) of each field the officer reports. */
export const FIELD_COLUMN: Record<Field, number> = { kpiLineId: 1, realisedQuantity: 5, approach: 6, partners: 7, motivation: 8 };
export const EDITABLE_COLUMNS = [FIELD_COLUMN.realisedQuantity, FIELD_COLUMN.approach, FIELD_COLUMN.partners, FIELD_COLUMN.motivation];
export const MAX_QUANTITY = 10_000_000;

export const MAX_ROWS = 1_000;
export const MAX_COLUMNS = 50;
export const KIND_TITLE: Record<ReportKind, string> = { interim: 'Tussentijds rapport', final: 'Eindrapport' };
