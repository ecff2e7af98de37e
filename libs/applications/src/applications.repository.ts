import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { jsonColumn, sqlIdentifier } from '@ps/database';

/** The application row as stored (snake_case columns, bigint cents as pg or PGlite give them). */
export type ApplicationRow = Record<string, unknown> & {
  id: number;
  applicant_id: number;
  call_id: number;
  status: string;
  version: number;
  cooperation_stimulus: boolean;
  mentorship_action: number | null;
  mentorship_motivation: string | null;
  impact_bond: boolean;
  impact_bond_expertise: string | null;
  impact_bond_problem: string | null;
  impact_bond_actions: unknown;
  impact_bond_learning_network: boolean;
};

/** One stored line of an application: what the applicant planned and ABB confirmed for one KPI line. */
export interface StoredLine {
  kpi_line_id: number;
  current_reach: number;
  planned_reach: number;
  contribution_cents: string | number;
  confirmed_quantity: number | null;
  confirmed_contribution_cents: string | number | null;
  review_comment: string | null;
  reduction_reason: string | null;
  interim_realised: number | null;
  positive_evaluation: boolean;
  extension_override_reason: string | null;
  interim_from_report: boolean;
}

export interface DraftColumns {
  cooperation: boolean;
  mentorshipAction: number | null;
  mentorshipMotivation: string | null;
  impactBond: boolean;
  impactBondExpertise: string | null;
  impactBondProblem: string | null;
  impactBondActions: number[];
  impactBondLearningNetwork: boolean;
}

/**
 * All SQL on the applications lib's tables: application, application_line, application_action.
 * Every method takes the caller's EntityManager, so the service decides the transaction.
 */
@Injectable()
export class ApplicationsRepository {
  async applicantIdOf(manager: EntityManager, id: number): Promise<number | null> {
    const [row] = await manager.query(`SELECT applicant_id FROM application WHERE id = $1`, [id]);
    return row?.applicant_id ?? null;
  }

  async idForApplicant(manager: EntityManager, applicantId: number): Promise<number | null> {
    const [row] = await manager.query(`SELECT id FROM application WHERE applicant_id = $1`, [applicantId]);
    return row?.id ?? null;
  }

  /** The applicant's application status, share-locked: a submission running at the same time is waited for, not overlooked. */
  async statusForShare(manager: EntityManager, applicantId: number): Promise<string | null> {
    const [row] = await manager.query(`SELECT status FROM application WHERE applicant_id = $1 FOR SHARE`, [applicantId]);
    return row?.status ?? null;
  }

  /** A new draft for the applicant in the call, or null when it has one already. */
  async insert(manager: EntityManager, applicantId: number, callId: number, catalogueVersion: number, previousId: number | null): Promise<number | null> {
    const [created] = await manager.query(
      `INSERT INTO application (applicant_id, call_id, catalogue_version, previous_application_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (applicant_id, call_id) DO NOTHING RETURNING id`,
      [applicantId, callId, catalogueVersion, previousId],
    );
    return created?.id ?? null;
  }

  async insertLines(manager: EntityManager, id: number, kpiLineIds: number[]): Promise<void> {
    await manager.query(`INSERT INTO application_line (application_id, kpi_line_id) SELECT $1, unnest($2::integer[])`, [id, kpiLineIds]);
  }

  async row(manager: EntityManager, id: number): Promise<ApplicationRow | null> {
    const [row] = await manager.query(`SELECT * FROM application WHERE id = $1`, [id]);
    return row ?? null;
  }

  /**
   * The application row with its lines and priorities in one statement (a save reads it twice: before and after),
   * optionally locking the row until the transaction ends.
   */
  async stored(
    manager: EntityManager,
    id: number,
    lock: 'for-update' | 'no-lock' = 'no-lock',
  ): Promise<{ row: ApplicationRow; lines: StoredLine[]; priorities: [actionNumber: number, priority: number][] } | null> {
    const [found] = await manager.query(
      `SELECT a.*,
         (SELECT coalesce(json_agg(l), '[]') FROM application_line l WHERE l.application_id = a.id) AS stored_lines,
         (SELECT coalesce(json_agg(json_build_array(p.action_number, p.priority)), '[]') FROM application_action p WHERE p.application_id = a.id) AS stored_priorities
       FROM application a WHERE a.id = $1 ${lock === 'for-update' ? 'FOR UPDATE OF a' : ''}`,
      [id],
    );
    if (!found) return null;
    const { stored_lines, stored_priorities, ...row } = found;
    return { row: row as ApplicationRow, lines: jsonColumn(stored_lines), priorities: jsonColumn(stored_priorities) };
  }

  /** Sets columns of the application row; the names come from code, never from input. */
  async setColumns(manager: EntityManager, id: number, columns: Record<string, unknown>): Promise<void> {
    const entries = Object.entries(columns);
    const assignments = entries.map(([column], i) => `${sqlIdentifier(column)} = $${i + 2}`);
    await manager.query(`UPDATE application SET ${assignments.join(', ')} WHERE id = $1`, [id, ...entries.map(([, value]) => value)]);
  }

  /** Sets columns of one line of the application; the names come from code, never from input. */
  async setLineColumns(manager: EntityManager, id: number, kpiLineId: number, columns: Record<string, unknown>): Promise<void> {
    const entries = Object.entries(columns);
    const assignments = entries.map(([column], i) => `${sqlIdentifier(column)} = $${i + 3}`);
    await manager.query(`UPDATE application_line SET ${assignments.join(', ')} WHERE application_id = $1 AND kpi_line_id = $2`, [
      id,
      kpiLineId,
      ...entries.map(([, value]) => value),
    ]);
  }

  /**
   * Writes only what changed in the priorities: removes the actions dropped or moved, then inserts the ones
   * added or moved (deleting first keeps the unique priority per application valid in between).
   */
  async changePriorities(manager: EntityManager, id: number, removed: number[], added: [actionNumber: number, priority: number][]): Promise<void> {
    if (removed.length > 0) {
      await manager.query(`DELETE FROM application_action WHERE application_id = $1 AND action_number = ANY($2::smallint[])`, [id, removed]);
    }
    if (added.length > 0) {
      await manager.query(
        `INSERT INTO application_action (application_id, action_number, priority) SELECT $1, a, p FROM unnest($2::smallint[], $3::smallint[]) AS t(a, p)`,
        [id, added.map(([action]) => action), added.map(([, priority]) => priority)],
      );
    }
  }

  async saveDraftColumns(manager: EntityManager, id: number, d: DraftColumns): Promise<void> {
    await manager.query(
      `UPDATE application SET cooperation_stimulus = $2, mentorship_action = $3, mentorship_motivation = $4, impact_bond = $5,
         impact_bond_expertise = $6, impact_bond_problem = $7, impact_bond_actions = $8, impact_bond_learning_network = $9 WHERE id = $1`,
      [
        id,
        d.cooperation,
        d.mentorshipAction,
        d.mentorshipMotivation,
        d.impactBond,
        d.impactBondExpertise,
        d.impactBondProblem,
        d.impactBondActions,
        d.impactBondLearningNetwork,
      ],
    );
  }

  async clearReviewComments(manager: EntityManager, id: number): Promise<void> {
    await manager.query(`UPDATE application_line SET review_comment = NULL WHERE application_id = $1`, [id]);
  }

  /** The approved application among the given applicants in a call, the preferred applicant's first. */
  async approvedAmong(manager: EntityManager, callId: number, applicantIds: number[], preferredApplicantId: number): Promise<number | null> {
    const [row] = await manager.query(
      `SELECT id FROM application WHERE status = 'goedgekeurd' AND call_id = $1 AND applicant_id = ANY($2::integer[])
        ORDER BY (applicant_id = $3) DESC, id LIMIT 1`,
      [callId, applicantIds, preferredApplicantId],
    );
    return row?.id ?? null;
  }

  /** Lines ABB confirmed above zero, with what decides whether they extend into the next year. */
  confirmedLines(manager: EntityManager, id: number): Promise<StoredLine[]> {
    return manager.query(`SELECT * FROM application_line WHERE application_id = $1 AND confirmed_quantity > 0`, [id]);
  }

  /** New contributions for every application line of a KPI line whose unit amount changed. */
  async repriceLines(manager: EntityManager, kpiLineId: number, unitAmountCents: number): Promise<void> {
    await manager.query(`UPDATE application_line SET contribution_cents = planned_reach * $2::bigint WHERE kpi_line_id = $1`, [kpiLineId, unitAmountCents]);
  }

  /** The largest planned reach on a KPI line over all applications. */
  async largestPlannedReach(manager: EntityManager, kpiLineId: number): Promise<number> {
    const [{ reach }] = await manager.query(`SELECT coalesce(max(planned_reach), 0) AS reach FROM application_line WHERE kpi_line_id = $1`, [kpiLineId]);
    return Number(reach);
  }

  /** Statuses of a call's applications, row-locked so that no submission commits between this count and a change of the call. */
  async statusesForUpdate(manager: EntityManager, callId: number): Promise<string[]> {
    const rows: { status: string }[] = await manager.query(`SELECT status FROM application WHERE call_id = $1 FOR UPDATE`, [callId]);
    return rows.map((r) => r.status);
  }

  async submittedCount(manager: EntityManager, callId: number): Promise<number> {
    const [row] = await manager.query(`SELECT count(*) AS n FROM application WHERE call_id = $1 AND status <> 'concept'`, [callId]);
    return Number(row.n);
  }

  /** The Flemish contribution (the sum of the lines' contributions) of each given application; 0 for one without lines. */
  async contributions(manager: EntityManager, ids: number[]): Promise<Map<number, number>> {
    if (ids.length === 0) return new Map();
    const rows: { application_id: number; flemish: string | number }[] = await manager.query(
      `SELECT application_id, sum(contribution_cents) AS flemish FROM application_line WHERE application_id = ANY($1::integer[]) GROUP BY application_id`,
      [ids],
    );
    return new Map(rows.map((r) => [r.application_id, Number(r.flemish)]));
  }

  /** The approved applications of a call, oldest first. */
  approvedIn(manager: EntityManager, callId: number): Promise<ApplicationRow[]> {
    return manager.query(`SELECT * FROM application WHERE call_id = $1 AND status = 'goedgekeurd' ORDER BY id`, [callId]);
  }

  /** Id, applicant, call and status of the given applications, each with its lines confirmed above 0 as [kpi_line_id, confirmed_quantity] pairs: one row per application. */
  async confirmedOf(
    manager: EntityManager,
    ids: number[],
  ): Promise<{ id: number; applicant_id: number; call_id: number; status: string; lines: [kpiLineId: number, confirmedQuantity: number][] }[]> {
    const rows: { id: number; applicant_id: number; call_id: number; status: string; lines: unknown }[] = await manager.query(
      `SELECT a.id, a.applicant_id, a.call_id, a.status,
              (SELECT COALESCE(json_agg(json_build_array(l.kpi_line_id, l.confirmed_quantity) ORDER BY l.kpi_line_id), '[]')
                 FROM application_line l WHERE l.application_id = a.id AND l.confirmed_quantity > 0) AS lines
         FROM application a WHERE a.id = ANY($1::integer[]) ORDER BY a.id`,
      [ids],
    );
    return rows.map((row) => ({ ...row, lines: jsonColumn<[number, number][]>(row.lines) }));
  }

  /** The approved applications of the given calls (id, applicant and call), by id. */
  approvedOf(manager: EntityManager, callIds: number[]): Promise<{ id: number; applicant_id: number; call_id: number }[]> {
    return manager.query(`SELECT id, applicant_id, call_id FROM application WHERE call_id = ANY($1::integer[]) AND status = 'goedgekeurd' ORDER BY id`, [
      callIds,
    ]);
  }

  /** Submitted applications of the call that await ABB's decision (sent back ones included). */
  async undecidedIn(manager: EntityManager, callId: number): Promise<number[]> {
    const rows: { id: number }[] = await manager.query(
      `SELECT id FROM application WHERE call_id = $1 AND status IN ('ingediend', 'in-behandeling', 'terug-naar-aanvrager') ORDER BY id`,
      [callId],
    );
    return rows.map((r) => r.id);
  }

  /** The lines ABB confirmed (zero included) of the given applications. */
  confirmedLinesOf(manager: EntityManager, ids: number[]): Promise<(StoredLine & { application_id: number })[]> {
    return manager.query(
      `SELECT * FROM application_line WHERE application_id = ANY($1::integer[]) AND confirmed_quantity IS NOT NULL ORDER BY application_id, kpi_line_id`,
      [ids],
    );
  }

  async prioritiesOf(manager: EntityManager, ids: number[]): Promise<{ application_id: number; action_number: number; priority: number }[]> {
    return manager.query(`SELECT application_id, action_number, priority FROM application_action WHERE application_id = ANY($1::integer[])`, [ids]);
  }
}
