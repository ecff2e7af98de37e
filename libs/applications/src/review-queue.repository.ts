import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface ReviewQueueFilter {
  callId: number | null;
  status: string | null;
  /** Only these applicants' applications (an officer's own), or all. */
  applicantIds: number[] | null;
  /** Only applications that plan reach on one of these KPI lines (an objective), or all. */
  kpiLineIds: number[] | null;
  /** The province of the lead local government. */
  province: string | null;
}

export interface ReviewQueueRow {
  id: number;
  call_id: number;
  status: string;
  submitted_at: Date | null;
  applicant_name_nl: string;
  province_nl: string | null;
}

/**
 * The review queue, ordered and cut in SQL: oldest submission first (never submitted last), then by the applicant's
 * name. A documented exception to "a lib reads only its own tables" (docs/architecture.md): the order and the
 * province filter need the applicant's name and its lead's province in the same statement, or a page of 50 would
 * mean reading the whole queue of every year (17,700 applications at 100×) to sort it in memory.
 */
@Injectable()
export class ReviewQueueRepository {
  /** One page of the queue (or all of it when `limit` is null), with the queue's length. */
  async page(manager: EntityManager, filter: ReviewQueueFilter, offset: number, limit: number | null): Promise<{ rows: ReviewQueueRow[]; total: number }> {
    // The filters on application alone, so the count needs no join; the page joins the names and provinces it shows.
    const where = `WHERE ($1::integer IS NULL OR a.call_id = $1) AND ($2::text IS NULL OR a.status = $2)
         AND ($3::integer[] IS NULL OR a.applicant_id = ANY($3::integer[]))
         AND ($4::integer[] IS NULL OR EXISTS (SELECT 1 FROM application_line l WHERE l.application_id = a.id AND l.planned_reach > 0 AND l.kpi_line_id = ANY($4::integer[])))
         AND ($5::text IS NULL OR a.applicant_id IN (SELECT ap.id FROM applicant ap JOIN local_government lg ON lg.id = ap.lead_local_government_id WHERE lg.province_nl = $5))`;
    const parameters = [filter.callId, filter.status, filter.applicantIds, filter.kpiLineIds, filter.province];
    const rows: ReviewQueueRow[] = await manager.query(
      `SELECT a.id, a.call_id, a.status, a.submitted_at, ap.name_nl AS applicant_name_nl, lg.province_nl
         FROM application a
         JOIN applicant ap ON ap.id = a.applicant_id
         JOIN local_government lg ON lg.id = ap.lead_local_government_id
       ${where}
       ORDER BY a.submitted_at ASC NULLS LAST, ap.name_nl, ap.id, a.id
       LIMIT $6 OFFSET $7`,
      [...parameters, limit, offset],
    );
    if (limit === null || (offset === 0 && rows.length < limit)) return { rows, total: rows.length };
    const [{ total }]: { total: string }[] = await manager.query(`SELECT count(*) AS total FROM application a ${where}`, parameters);
    return { rows, total: Number(total) };
  }
}
