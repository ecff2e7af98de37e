import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { jsonColumn, sqlIdentifier } from '@ps/database';
import { ReportKind, ReportStatus } from './report.dto';

export interface ReportRow {
  id: number;
  application_id: number;
  kind: ReportKind;
  status: ReportStatus;
  version: number;
  submitted_at: Date | null;
  late: boolean;
  reopened_until: Date | null;
  review_comment: string | null;
  reviewed_by_label: string | null;
  reviewed_at: Date | null;
}

export interface ReportLineRow {
  kpi_line_id: number;
  realised_quantity: number | null;
  approach: string;
  partners: string;
  motivation: string;
  motivation_accepted: boolean;
  review_comment: string | null;
}

export interface QueueReportRow extends ReportRow {
  lines: [kpiLineId: number, realisedQuantity: number | null, motivationAccepted: boolean][];
}

export interface LineChange {
  kpiLineId: number;
  realisedQuantity: number | null;
  approach: string;
  partners: string;
  motivation: string;
}

/** Every statement on kpi_report and kpi_report_line. */
@Injectable()
export class ReportsRepository {
  /** The state of each report the application has in the database (none for a report not yet started). */
  async statesOf(manager: EntityManager, applicationId: number): Promise<Pick<ReportRow, 'kind' | 'status' | 'reopened_until'>[]> {
    return manager.query(`SELECT kind, status, reopened_until FROM kpi_report WHERE application_id = $1`, [applicationId]);
  }

  async find(manager: EntityManager, applicationId: number, kind: ReportKind): Promise<ReportRow | null> {
    const [row] = await manager.query(`SELECT * FROM kpi_report WHERE application_id = $1 AND kind = $2`, [applicationId, kind]);
    return row ?? null;
  }

  /** The report, created as an empty draft when there is none, locked for the rest of the transaction. */
  async lockOrCreate(manager: EntityManager, applicationId: number, kind: ReportKind): Promise<ReportRow> {
    await manager.query(`INSERT INTO kpi_report (application_id, kind) VALUES ($1, $2) ON CONFLICT (application_id, kind) DO NOTHING`, [applicationId, kind]);
    const [row] = await manager.query(`SELECT * FROM kpi_report WHERE application_id = $1 AND kind = $2 FOR UPDATE`, [applicationId, kind]);
    return row;
  }

  linesOf(manager: EntityManager, reportId: number): Promise<ReportLineRow[]> {
    return manager.query(
      `SELECT kpi_line_id, realised_quantity, approach, partners, motivation, motivation_accepted, review_comment FROM kpi_report_line WHERE report_id = $1`,
      [reportId],
    );
  }

  async saveLines(manager: EntityManager, reportId: number, lines: LineChange[]): Promise<void> {
    if (lines.length === 0) return;
    await manager.query(
      `INSERT INTO kpi_report_line (report_id, kpi_line_id, realised_quantity, approach, partners, motivation)
       SELECT $1, l.kpi_line_id, l.realised_quantity, l.approach, l.partners, l.motivation
         FROM jsonb_to_recordset($2::jsonb) AS l(kpi_line_id integer, realised_quantity integer, approach varchar, partners varchar, motivation varchar)
       ON CONFLICT (report_id, kpi_line_id) DO UPDATE SET realised_quantity = EXCLUDED.realised_quantity, approach = EXCLUDED.approach,
         partners = EXCLUDED.partners, motivation = EXCLUDED.motivation`,
      [
        reportId,
        JSON.stringify(
          lines.map((l) => ({
            kpi_line_id: l.kpiLineId,
            realised_quantity: l.realisedQuantity,
            approach: l.approach,
            partners: l.partners,
            motivation: l.motivation,
          })),
        ),
      ],
    );
  }

  async reviewLines(
    manager: EntityManager,
    reportId: number,
    lines: { kpiLineId: number; motivationAccepted: boolean; comment: string | null }[],
  ): Promise<void> {
    for (const line of lines) {
      await manager.query(`UPDATE kpi_report_line SET motivation_accepted = $3, review_comment = $4 WHERE report_id = $1 AND kpi_line_id = $2`, [
        reportId,
        line.kpiLineId,
        line.motivationAccepted,
        line.comment,
      ]);
    }
  }

  /** Sets columns of the report and moves its version on. */
  async update(manager: EntityManager, id: number, columns: Partial<Omit<ReportRow, 'id' | 'application_id' | 'kind' | 'version'>>): Promise<void> {
    const entries = Object.entries(columns);
    const assignments = entries.map(([column], i) => `${sqlIdentifier(column)} = $${i + 2}`);
    await manager.query(`UPDATE kpi_report SET ${[...assignments, 'version = version + 1'].join(', ')} WHERE id = $1`, [id, ...entries.map(([, v]) => v)]);
  }

  /**
   * ABB's queue in one query: the reports of the given kinds and statuses oldest submission first (then by id), each with
   * what the queue needs of its stored lines as [kpi_line_id, realised_quantity, motivation_accepted] triples.
   */
  async queueWithLines(manager: EntityManager, kinds: ReportKind[], statuses: ReportStatus[]): Promise<QueueReportRow[]> {
    const rows: (ReportRow & { lines: unknown })[] = await manager.query(
      `SELECT r.*,
              (SELECT COALESCE(json_agg(json_build_array(l.kpi_line_id, l.realised_quantity, l.motivation_accepted)), '[]')
                 FROM kpi_report_line l WHERE l.report_id = r.id) AS lines
         FROM kpi_report r
        WHERE r.kind = ANY($1::varchar[]) AND r.status = ANY($2::varchar[])
        ORDER BY r.submitted_at NULLS LAST, r.id`,
      [kinds, statuses],
    );
    return rows.map((row) => ({ ...row, lines: jsonColumn<QueueReportRow['lines']>(row.lines) }));
  }

  evidenceOf(manager: EntityManager, reportId: number): Promise<EvidenceRow[]> {
    return manager.query(
      `SELECT id, kpi_line_id, filename, content_type, size_bytes, uploaded_at FROM kpi_report_evidence WHERE report_id = $1 ORDER BY kpi_line_id, id`,
      [reportId],
    );
  }

  async evidenceFile(manager: EntityManager, reportId: number, id: number): Promise<(EvidenceRow & { content: Buffer | Uint8Array }) | null> {
    const [row] = await manager.query(`SELECT * FROM kpi_report_evidence WHERE report_id = $1 AND id = $2`, [reportId, id]);
    return row ?? null;
  }

  async countEvidence(manager: EntityManager, reportId: number, kpiLineId: number): Promise<number> {
    const [row] = await manager.query(`SELECT count(*)::int AS n FROM kpi_report_evidence WHERE report_id = $1 AND kpi_line_id = $2`, [reportId, kpiLineId]);
    return row.n;
  }

  async insertEvidence(manager: EntityManager, e: NewEvidence): Promise<number> {
    const [row] = await manager.query(
      `INSERT INTO kpi_report_evidence (report_id, kpi_line_id, filename, content_type, size_bytes, sha256, content, uploaded_by_label)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [e.reportId, e.kpiLineId, e.filename, e.contentType, e.content.length, e.sha256, e.content, e.uploadedBy],
    );
    return row.id;
  }
}

export interface EvidenceRow {
  id: number;
  kpi_line_id: number;
  filename: string;
  content_type: string;
  size_bytes: number;
  uploaded_at: Date;
}

export interface NewEvidence {
  reportId: number;
  kpiLineId: number;
  filename: string;
  contentType: string;
  sha256: string;
  content: Buffer;
  uploadedBy: string;
}
