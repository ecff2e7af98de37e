import { ReportKind, ReportStatus } from './report.dto';

/** One confirmed KPI line of a report, with what the officer reported and what it means. */
export interface ReportLineView {
  kpiLineId: number;
  actionNumber: number;
  actionTitleNl: string;
  unitNl: string;
  confirmedQuantity: number;
  realisedQuantity: number | null;
  approach: string;
  partners: string;
  motivation: string;
  /** Realised / confirmed in whole percent (rounded down), null while not filled in. */
  realisationPercent: number | null;
  /** Below the call's interim threshold (25 %): the action cannot simply be carried over. */
  belowThreshold: boolean;
  /** Below the confirmed quantity, or a line that always needs one (action plans, correspondence tests, pleinmakers). */
  motivationRequired: boolean;
  motivationAccepted: boolean;
  reviewComment: string | null;
  /** Optional evidence files of this line. */
  evidence: { id: number; filename: string; sizeBytes: number }[];
}

/** Where an interim or final report stands, without its lines: what Mijn taken shows. */
export type ReportState = Pick<ReportView, 'kind' | 'status' | 'dueAt' | 'open' | 'reopenedUntil'>;

/** An interim or final report of one approved application. */
export interface ReportView {
  applicationId: number;
  applicantId: number;
  applicantNameNl: string;
  callYear: number;
  kind: ReportKind;
  status: ReportStatus;
  version: number;
  dueAt: Date | null;
  /** Whether the officer may change and submit it now (before the deadline, or reopened by ABB). */
  open: boolean;
  reopenedUntil: Date | null;
  submittedAt: Date | null;
  late: boolean;
  reviewComment: string | null;
  lines: ReportLineView[];
}
