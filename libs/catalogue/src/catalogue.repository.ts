import { Injectable } from '@nestjs/common';
import { EntityManager, Not } from 'typeorm';
import { hydrate, sqlIdentifier } from '@ps/database';
import { Call, CallAction, KpiLine, Objective } from './catalogue.entities';

/** A call's row as a copy reads it: each column's SQL type and its value (dates and instants as text). */
export interface CallRow {
  types: Record<string, string>;
  values: Record<string, unknown>;
}

/** The KPI lines of a call as the applications lib shows them: with the action's objective and the menu's order. */
export interface CatalogueLineView {
  id: number;
  actionNumber: number;
  position: number;
  unitNl: string;
  maxQuantity: number;
  unitAmountCents: number;
  objectiveCode: string;
  actionTitleNl: string;
}

/** A report deadline of a call (`call.interim_report_due_at` or `call.final_report_due_at`). */
export interface ReportDeadline {
  callId: number;
  callNameNl: string;
  kind: 'interim' | 'final';
  dueAt: Date;
}

/** One row of `CatalogueRepository.menuRows`. */
export interface MenuRow {
  code: string;
  name_nl: string;
  number: number | null;
  title_nl: string | null;
  funded: boolean | null;
  kpiLine: KpiLine | null;
}

/**
 * All SQL on the catalogue's tables (objective, action, call, call_action, kpi_line). Every method takes the
 * caller's EntityManager, so other libs can read the catalogue inside their own transaction.
 */
@Injectable()
export class CatalogueRepository {
  /**
   * A call's menu in one statement (it is on every applicant's and application's page): a row per objective the call
   * knows, per action of the call in it and per KPI line of that action, in order; an objective without actions in the
   * call has one row with `number` null, an action without lines one with `kpiLine` null.
   */
  async menuRows(manager: EntityManager, call: Pick<Call, 'id' | 'yearNumber'>): Promise<MenuRow[]> {
    const rows: (Omit<MenuRow, 'kpiLine'> & { kpi_line: Record<string, unknown> | null })[] = await manager.query(
      `SELECT o.code, o.name_nl, a.number, ca.title_nl, ca.funded, to_jsonb(k) AS kpi_line
         FROM objective o
         LEFT JOIN (action a JOIN call_action ca ON ca.action_number = a.number AND ca.call_id = $1) ON a.objective_code = o.code
         LEFT JOIN kpi_line k ON k.call_id = $1 AND k.action_number = a.number
        WHERE o.first_year IS NULL OR o.first_year <= $2
        ORDER BY o.position, o.code, a.number, k.position`,
      [call.id, call.yearNumber],
    );
    return rows.map(({ kpi_line, ...row }) => ({ ...row, kpiLine: kpi_line && hydrate(manager, KpiLine, [kpi_line])[0] }));
  }

  /** A call by id. Read on every application change, so with fixed SQL rather than a query builder (`hydrate`). */
  async callById(manager: EntityManager, id: number): Promise<Call | null> {
    return hydrate(manager, Call, await manager.query(`SELECT * FROM call WHERE id = $1`, [id]))[0] ?? null;
  }

  /** A call by project year; a draft only when `drafts` (ABB's administration): officers never reach a draft. */
  callByYear(manager: EntityManager, yearNumber: number, drafts = false): Promise<Call | null> {
    return manager.findOneBy(Call, drafts ? { yearNumber } : { yearNumber, state: Not('draft' as const) });
  }

  /** The latest call (the one the next is copied from), locked so that two creations cannot both take the next year. */
  async latestCallForUpdate(manager: EntityManager): Promise<Call | null> {
    return hydrate(manager, Call, await manager.query(`SELECT * FROM call ORDER BY year_number DESC LIMIT 1 FOR UPDATE`))[0] ?? null;
  }

  /**
   * Every column of a call's row, read as text a copy can shift: dates as JJJJ-MM-DD, instants as ISO 8601 with their
   * offset, the rest as stored. Generic, so that a setting another lib adds to the call is copied too.
   */
  async callRow(manager: EntityManager, callId: number): Promise<CallRow> {
    const columns: { name: string; type: string }[] = await manager.query(
      `SELECT column_name AS name, data_type AS type FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'call' ORDER BY ordinal_position`,
    );
    const select = columns.map(({ name, type }) => {
      const column = sqlIdentifier(name);
      if (type === 'date') return `${column}::text AS ${column}`;
      if (type === 'timestamp with time zone') return `to_json(${column}) #>> '{}' AS ${column}`;
      return column;
    });
    const [row] = await manager.query(`SELECT ${select.join(', ')} FROM call WHERE id = $1`, [callId]);
    return { types: Object.fromEntries(columns.map((c) => [c.name, c.type])), values: row as Record<string, unknown> };
  }

  /** Inserts a call with the given columns; its id. */
  async insertCall(manager: EntityManager, columns: [column: string, value: unknown][]): Promise<number> {
    const [row]: { id: number }[] = await manager.query(
      `INSERT INTO call (${columns.map(([c]) => sqlIdentifier(c)).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
      columns.map(([, value]) => value),
    );
    return row.id;
  }

  /** Copies a call's menu (its actions, whether funded, their titles) and KPI catalogue into another call. */
  async copyCatalogue(manager: EntityManager, fromCallId: number, toCallId: number): Promise<void> {
    await manager.query(
      `INSERT INTO call_action (call_id, action_number, funded, title_nl) SELECT $2, action_number, funded, title_nl FROM call_action WHERE call_id = $1`,
      [fromCallId, toCallId],
    );
    await manager.query(
      `INSERT INTO kpi_line (call_id, action_number, position, description_nl, unit_nl, max_quantity, unit_amount_cents)
       SELECT $2, action_number, position, description_nl, unit_nl, max_quantity, unit_amount_cents FROM kpi_line WHERE call_id = $1 ORDER BY id`,
      [fromCallId, toCallId],
    );
  }

  /** The funded actions of a call without a KPI line with an amount above 0: publishing refuses them. */
  async fundedActionsWithoutAmount(manager: EntityManager, callId: number): Promise<{ number: number; titleNl: string }[]> {
    const rows: { action_number: number; title_nl: string }[] = await manager.query(
      `SELECT ca.action_number, ca.title_nl FROM call_action ca
        WHERE ca.call_id = $1 AND ca.funded
          AND NOT EXISTS (SELECT 1 FROM kpi_line k WHERE k.call_id = ca.call_id AND k.action_number = ca.action_number AND k.unit_amount_cents > 0)
        ORDER BY ca.action_number`,
      [callId],
    );
    return rows.map((r) => ({ number: r.action_number, titleNl: r.title_nl }));
  }

  callAction(manager: EntityManager, callId: number, actionNumber: number): Promise<CallAction | null> {
    return manager.findOneBy(CallAction, { callId, actionNumber });
  }

  objective(manager: EntityManager, code: string): Promise<Objective | null> {
    return manager.findOneBy(Objective, { code });
  }

  /** A new action of the menu, in an objective; its number (the next free one), or null when all 99 are taken. */
  async insertAction(manager: EntityManager, objectiveCode: string, titleNl: string): Promise<number | null> {
    const rows: { number: number }[] = await manager.query(
      `INSERT INTO action (number, objective_code, title_nl)
       SELECT COALESCE(MAX(number), 0) + 1, $1, $2 FROM action HAVING COALESCE(MAX(number), 0) < 99 RETURNING number`,
      [objectiveCode, titleNl],
    );
    return rows[0]?.number ?? null;
  }

  async insertCallAction(manager: EntityManager, callId: number, actionNumber: number, funded: boolean, titleNl: string): Promise<void> {
    await manager.query(`INSERT INTO call_action (call_id, action_number, funded, title_nl) VALUES ($1, $2, $3, $4)`, [callId, actionNumber, funded, titleNl]);
  }

  async updateCallAction(manager: EntityManager, callId: number, actionNumber: number, funded: boolean, titleNl: string): Promise<void> {
    await manager.query(`UPDATE call_action SET funded = $3, title_nl = $4 WHERE call_id = $1 AND action_number = $2`, [callId, actionNumber, funded, titleNl]);
  }

  /** Takes an action out of one call's menu, with its KPI lines in that call (ON DELETE CASCADE); other calls keep theirs. */
  async deleteCallAction(manager: EntityManager, callId: number, actionNumber: number): Promise<void> {
    await manager.query(`DELETE FROM call_action WHERE call_id = $1 AND action_number = $2`, [callId, actionNumber]);
  }

  /** A new KPI line of an action in a call, after its last one; its id and position. */
  async insertKpiLine(
    manager: EntityManager,
    callId: number,
    actionNumber: number,
    line: { descriptionNl: string; unitNl: string; maxQuantity: number; unitAmountCents: number },
  ): Promise<{ id: number; position: number }> {
    const [row]: { id: number; position: number }[] = await manager.query(
      `INSERT INTO kpi_line (call_id, action_number, position, description_nl, unit_nl, max_quantity, unit_amount_cents)
       SELECT $1, $2, COALESCE(MAX(position), 0) + 1, $3, $4, $5, $6 FROM kpi_line WHERE call_id = $1 AND action_number = $2
       RETURNING id, position`,
      [callId, actionNumber, line.descriptionNl, line.unitNl, line.maxQuantity, line.unitAmountCents],
    );
    return row;
  }

  async deleteKpiLine(manager: EntityManager, kpiLineId: number): Promise<void> {
    await manager.query(`DELETE FROM kpi_line WHERE id = $1`, [kpiLineId]);
  }

  /** A new objective, after the last one, introduced by the call of `firstYear`. */
  async insertObjective(manager: EntityManager, code: string, nameNl: string, firstYear: number): Promise<void> {
    await manager.query(`INSERT INTO objective (code, name_nl, position, first_year) SELECT $1, $2, COALESCE(MAX(position), 0) + 1, $3 FROM objective`, [
      code,
      nameNl,
      firstYear,
    ]);
  }

  /**
   * The interim and final report deadlines of every call that lie after `after` and at or before `until`, by deadline,
   * call and kind ('final' before 'interim'). A call without a deadline (null) has none.
   */
  async reportDeadlinesBetween(manager: EntityManager, after: Date, until: Date): Promise<ReportDeadline[]> {
    const rows: { call_id: number; name_nl: string; kind: 'interim' | 'final'; due_at: Date }[] = await manager.query(
      `SELECT c.id AS call_id, c.name_nl, d.kind, d.due_at
         FROM call c
         CROSS JOIN LATERAL (VALUES ('interim', c.interim_report_due_at), ('final', c.final_report_due_at)) AS d(kind, due_at)
        WHERE d.due_at > $1 AND d.due_at <= $2 AND c.state <> 'draft'
        ORDER BY d.due_at, c.id, d.kind`,
      [after, until],
    );
    return rows.map((r) => ({ callId: r.call_id, callNameNl: r.name_nl, kind: r.kind, dueAt: new Date(r.due_at) }));
  }

  /** Sets the given columns of a call under its version; false when the version is stale. */
  async updateCallColumns(manager: EntityManager, callId: number, version: number, columns: [column: string, value: unknown][]): Promise<boolean> {
    const assignments = columns.map(([column], i) => `${sqlIdentifier(column)} = $${i + 3}`);
    // TypeORM answers an UPDATE … RETURNING with [rows, affectedCount]; the rows say whether it matched.
    const [updated] = await manager.query(`UPDATE call SET ${assignments.join(', ')}, version = version + 1 WHERE id = $1 AND version = $2 RETURNING id`, [
      callId,
      version,
      ...columns.map(([, value]) => value),
    ]);
    return (updated as unknown[]).length > 0;
  }

  /** Raises the call's catalogue version (and its version); the new catalogue version, or null when the version is stale. */
  async bumpCatalogueVersion(manager: EntityManager, callId: number, version: number): Promise<number | null> {
    const [bumped] = await manager.query(
      `UPDATE call SET catalogue_version = catalogue_version + 1, version = version + 1 WHERE id = $1 AND version = $2 RETURNING catalogue_version`,
      [callId, version],
    );
    return (bumped as { catalogue_version: number }[])[0]?.catalogue_version ?? null;
  }

  kpiLine(manager: EntityManager, callId: number, kpiLineId: number): Promise<KpiLine | null> {
    return manager.findOneBy(KpiLine, { id: kpiLineId, callId });
  }

  async updateKpiLine(manager: EntityManager, kpiLineId: number, maxQuantity: number, unitAmountCents: number): Promise<void> {
    await manager.query(`UPDATE kpi_line SET max_quantity = $2, unit_amount_cents = $3 WHERE id = $1`, [kpiLineId, maxQuantity, unitAmountCents]);
  }

  /** A call's KPI lines in the menu's order (objective, action, position), with what a page shows of each. */
  async lineViews(manager: EntityManager, callId: number): Promise<CatalogueLineView[]> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT k.id, k.action_number, k.position, k.unit_nl, k.max_quantity, k.unit_amount_cents, act.objective_code, ca.title_nl
         FROM kpi_line k JOIN call_action ca ON ca.call_id = k.call_id AND ca.action_number = k.action_number
         JOIN action act ON act.number = k.action_number JOIN objective o ON o.code = act.objective_code
        WHERE k.call_id = $1 ORDER BY o.position, k.action_number, k.position`,
      [callId],
    );
    return rows.map((r) => ({
      id: r.id as number,
      actionNumber: r.action_number as number,
      position: r.position as number,
      unitNl: r.unit_nl as string,
      maxQuantity: r.max_quantity as number,
      unitAmountCents: Number(r.unit_amount_cents),
      objectiveCode: r.objective_code as string,
      actionTitleNl: r.title_nl as string,
    }));
  }

  /** The KPI lines (of every call) of the actions of one objective. */
  async kpiLineIdsOf(manager: EntityManager, objectiveCode: string): Promise<number[]> {
    const rows: { id: number }[] = await manager.query(
      `SELECT k.id FROM kpi_line k JOIN action act ON act.number = k.action_number WHERE act.objective_code = $1`,
      [objectiveCode],
    );
    return rows.map((r) => r.id);
  }

  /** Inserts a call unless its year exists; the new id, or null when it was there already. */
  async insertCallIfMissing(manager: EntityManager, values: unknown[]): Promise<number | null> {
    const inserted: { id: number }[] = await manager.query(
      `INSERT INTO call (year_number, name_nl, submission_opens_at, submission_closes_at, project_start, project_end, budget_cents,
         decision_date, interim_report_due_at, final_report_due_at, eligibility_threshold, origin_definition, statistics_reference_year, only_existing_applicants,
         applicants_of_year)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (year_number) DO NOTHING RETURNING id`,
      values,
    );
    return inserted[0]?.id ?? null;
  }
}
