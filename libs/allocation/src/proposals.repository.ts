import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { jsonColumn } from '@ps/database';
import { MoneyDecision } from '@ps/identity';

export type ProposalState = 'pending' | 'approved' | 'withdrawn';

export interface ProposalRow {
  id: number;
  kind: MoneyDecision;
  subject_key: string;
  run_id: number;
  application_id: number | null;
  kpi_line_id: number | null;
  input: Record<string, unknown>;
  totals: unknown;
  inputs: Record<string, unknown>;
  state: ProposalState;
  version: number;
  proposed_by_user_id: number;
  proposed_by_label: string;
  proposed_at: Date;
  decided_by_user_id: number | null;
  decided_by_label: string | null;
  decided_at: Date | null;
}

export interface NewProposal {
  kind: MoneyDecision;
  subjectKey: string;
  runId: number;
  applicationId: number | null;
  kpiLineId: number | null;
  input: object;
  totals: object;
  inputs: object;
  proposedByUserId: number;
  proposedByLabel: string;
  proposedAt: Date;
}

const withJson = (row: ProposalRow): ProposalRow => ({
  ...row,
  input: jsonColumn(row.input) as Record<string, unknown>,
  totals: jsonColumn(row.totals),
  inputs: jsonColumn(row.inputs) as Record<string, unknown>,
});

/** Every statement on money_proposal. */
@Injectable()
export class ProposalsRepository {
  async insert(manager: EntityManager, p: NewProposal): Promise<number> {
    const [row] = await manager.query(
      `INSERT INTO money_proposal (kind, subject_key, run_id, application_id, kpi_line_id, input, totals, inputs, proposed_by_user_id, proposed_by_label, proposed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        p.kind,
        p.subjectKey,
        p.runId,
        p.applicationId,
        p.kpiLineId,
        JSON.stringify(p.input),
        JSON.stringify(p.totals),
        JSON.stringify(p.inputs),
        p.proposedByUserId,
        p.proposedByLabel,
        p.proposedAt,
      ],
    );
    return row.id;
  }

  async get(manager: EntityManager, id: number): Promise<ProposalRow | null> {
    const [row] = await manager.query(`SELECT * FROM money_proposal WHERE id = $1`, [id]);
    return row ? withJson(row) : null;
  }

  /** Locks the proposal until the transaction ends: a second approver waits here, then finds it decided. */
  async lock(manager: EntityManager, id: number): Promise<ProposalRow | null> {
    const [row] = await manager.query(`SELECT * FROM money_proposal WHERE id = $1 FOR UPDATE`, [id]);
    return row ? withJson(row) : null;
  }

  async pendingFor(manager: EntityManager, subjectKey: string): Promise<ProposalRow | null> {
    const [row] = await manager.query(`SELECT * FROM money_proposal WHERE subject_key = $1 AND state = 'pending'`, [subjectKey]);
    return row ? withJson(row) : null;
  }

  async pending(manager: EntityManager): Promise<ProposalRow[]> {
    const rows: ProposalRow[] = await manager.query(`SELECT * FROM money_proposal WHERE state = 'pending' ORDER BY proposed_at, id`);
    return rows.map(withJson);
  }

  /** The proposals about a run (its publication and releases) or about an application's settlement, newest first. */
  async about(manager: EntityManager, where: { runId?: number; applicationId?: number }): Promise<ProposalRow[]> {
    const rows: ProposalRow[] =
      where.applicationId !== undefined
        ? await manager.query(`SELECT * FROM money_proposal WHERE application_id = $1 ORDER BY id DESC`, [where.applicationId])
        : await manager.query(`SELECT * FROM money_proposal WHERE run_id = $1 AND application_id IS NULL ORDER BY id DESC`, [where.runId]);
    return rows.map(withJson);
  }

  /** Decides a pending proposal of this version; false when it was no longer pending or of another version. */
  async decide(
    manager: EntityManager,
    id: number,
    version: number,
    state: Exclude<ProposalState, 'pending'>,
    decider: { userId: number; label: string; at: Date },
  ): Promise<boolean> {
    const [rows] = await manager.query(
      `UPDATE money_proposal SET state = $3, decided_by_user_id = $4, decided_by_label = $5, decided_at = $6, version = version + 1
        WHERE id = $1 AND version = $2 AND state = 'pending' RETURNING id`,
      [id, version, state, decider.userId, decider.label, decider.at],
    );
    return rows.length === 1;
  }
}
