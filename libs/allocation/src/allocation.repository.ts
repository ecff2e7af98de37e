import { Injectable } from '@nestjs/common';
import { PaymentKind } from '@ps/payments';
import { EntityManager } from 'typeorm';
import { jsonColumn } from '@ps/database';

export interface RunRow {
  id: number;
  call_id: number;
  budget_cents: string | number;
  policy: unknown;
  input_hash: string;
  outcome: unknown;
  pending_review_application_ids: number[];
  created_by_label: string;
  created_at: Date;
  published_at: Date | null;
  published_by_label: string | null;
  pending_review_reason: string | null;
}

export interface ShareRow {
  run_id: number;
  applicant_id: number;
  application_id: number;
  confirmed_cents: string | number;
  allocated_cents: string | number;
  detail: unknown;
}

export interface NewRun {
  callId: number;
  budgetCents: number;
  policy: object;
  inputHash: string;
  outcome: object;
  pendingReviewApplicationIds: number[];
  createdByUserId: number | null;
  createdByLabel: string;
}

export interface NewShare {
  applicantId: number;
  applicationId: number;
  confirmedCents: number;
  allocatedCents: number;
  detail: object;
}

export interface NewPayment {
  applicantId: number;
  kind: PaymentKind;
  amountCents: number;
  payoutIban: string | null;
  reference: string;
}

export interface PaymentRow {
  id: number;
  applicant_id: number;
  kind: PaymentKind;
  amount_cents: string | number;
  payout_iban: string | null;
  reference: string;
  released_at: Date | null;
  released_by_label: string | null;
}

/** Counts and sums come as strings from node-postgres and as numbers from PGlite. */
export interface ShareTotalsRow {
  applicants: string | number;
  confirmed_cents: string | number;
  allocated_cents: string | number;
}

export interface ComparisonTotalsRow {
  applicants: string | number;
  difference_cents: string | number;
}

export interface PaymentTotalsRow {
  payments: string | number;
  amount_cents: string | number;
  released: string | number;
  released_cents: string | number;
}

/** Arbitrary first key of the advisory lock that serialises publications of one call. */
const PUBLICATION_LOCK = 0x414c4c4f; // "ALLO"

const withJson = <T extends { policy?: unknown; outcome?: unknown; detail?: unknown }>(row: T): T => ({
  ...row,
  ...('policy' in row ? { policy: jsonColumn(row.policy) } : {}),
  ...('outcome' in row ? { outcome: jsonColumn(row.outcome) } : {}),
  ...('detail' in row ? { detail: jsonColumn(row.detail) } : {}),
});

/** Every statement on allocation_run, allocation_share and payment. */
@Injectable()
export class AllocationRepository {
  async insertRun(manager: EntityManager, run: NewRun): Promise<number> {
    const [row] = await manager.query(
      `INSERT INTO allocation_run (call_id, budget_cents, policy, input_hash, outcome, pending_review_application_ids, created_by_user_id, created_by_label)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        run.callId,
        run.budgetCents,
        JSON.stringify(run.policy),
        run.inputHash,
        JSON.stringify(run.outcome),
        run.pendingReviewApplicationIds,
        run.createdByUserId,
        run.createdByLabel,
      ],
    );
    return row.id;
  }

  async insertShares(manager: EntityManager, runId: number, shares: NewShare[]): Promise<void> {
    if (shares.length === 0) return;
    await manager.query(
      `INSERT INTO allocation_share (run_id, applicant_id, application_id, confirmed_cents, allocated_cents, detail)
       SELECT $1, s.applicant_id, s.application_id, s.confirmed_cents, s.allocated_cents, s.detail
         FROM jsonb_to_recordset($2::jsonb) AS s(applicant_id integer, application_id integer, confirmed_cents bigint, allocated_cents bigint, detail jsonb)`,
      [
        runId,
        JSON.stringify(
          shares.map((s) => ({
            applicant_id: s.applicantId,
            application_id: s.applicationId,
            confirmed_cents: s.confirmedCents,
            allocated_cents: s.allocatedCents,
            detail: s.detail,
          })),
        ),
      ],
    );
  }

  async runsOf(manager: EntityManager, callId: number): Promise<RunRow[]> {
    const rows: RunRow[] = await manager.query(`SELECT * FROM allocation_run WHERE call_id = $1 ORDER BY id DESC`, [callId]);
    return rows.map(withJson);
  }

  async run(manager: EntityManager, id: number): Promise<RunRow | null> {
    const [row] = await manager.query(`SELECT * FROM allocation_run WHERE id = $1`, [id]);
    return row ? withJson(row as RunRow) : null;
  }

  async publishedRun(manager: EntityManager, callId: number): Promise<RunRow | null> {
    const [row] = await manager.query(`SELECT * FROM allocation_run WHERE call_id = $1 AND published_at IS NOT NULL`, [callId]);
    return row ? withJson(row as RunRow) : null;
  }

  async sharesOf(manager: EntityManager, runId: number): Promise<ShareRow[]> {
    const rows: ShareRow[] = await manager.query(`SELECT * FROM allocation_share WHERE run_id = $1 ORDER BY applicant_id`, [runId]);
    return rows.map(withJson);
  }

  /** One page of the run's shares, by applicant (unique within a run: the primary key). */
  async sharesPage(manager: EntityManager, runId: number, offset: number, limit: number): Promise<ShareRow[]> {
    const rows: ShareRow[] = await manager.query(`SELECT * FROM allocation_share WHERE run_id = $1 ORDER BY applicant_id LIMIT $2 OFFSET $3`, [
      runId,
      limit,
      offset,
    ]);
    return rows.map(withJson);
  }

  /** Who each given applicant's payments go to, from its share in the run: its name and lead, without the share's detail. */
  async payeesOf(
    manager: EntityManager,
    runId: number,
    applicantIds: number[],
  ): Promise<{ applicant_id: number; applicant_name_nl: string; lead_local_government_id: number }[]> {
    if (applicantIds.length === 0) return [];
    return manager.query(
      `SELECT applicant_id, detail->>'applicantNameNl' AS applicant_name_nl, (detail->>'leadLocalGovernmentId')::integer AS lead_local_government_id
         FROM allocation_share WHERE run_id = $1 AND applicant_id = ANY($2::integer[])`,
      [runId, applicantIds],
    );
  }

  /** The shares of these applicants in the run (those it has). */
  async sharesOfApplicants(manager: EntityManager, runId: number, applicantIds: number[]): Promise<ShareRow[]> {
    if (applicantIds.length === 0) return [];
    const rows: ShareRow[] = await manager.query(
      `SELECT * FROM allocation_share WHERE run_id = $1 AND applicant_id = ANY($2::integer[]) ORDER BY applicant_id`,
      [runId, applicantIds],
    );
    return rows.map(withJson);
  }

  /** The whole run's count of shares and its sums, counted by the database. */
  async shareTotals(manager: EntityManager, runId: number): Promise<ShareTotalsRow> {
    const [row] = await manager.query(
      `SELECT count(*) AS applicants, coalesce(sum(confirmed_cents), 0) AS confirmed_cents, coalesce(sum(allocated_cents), 0) AS allocated_cents
         FROM allocation_share WHERE run_id = $1`,
      [runId],
    );
    return row;
  }

  /** Over both whole runs: how many applicants get another amount in `runId` than in `otherRunId` (absent is 0), and the net difference. */
  async comparisonTotals(manager: EntityManager, runId: number, otherRunId: number): Promise<ComparisonTotalsRow> {
    const [row] = await manager.query(
      `SELECT count(*) AS applicants, coalesce(sum(coalesce(t.allocated_cents, 0) - coalesce(o.allocated_cents, 0)), 0) AS difference_cents
         FROM (SELECT applicant_id, allocated_cents FROM allocation_share WHERE run_id = $1) t
         FULL JOIN (SELECT applicant_id, allocated_cents FROM allocation_share WHERE run_id = $2) o ON o.applicant_id = t.applicant_id
        WHERE coalesce(t.allocated_cents, 0) <> coalesce(o.allocated_cents, 0)`,
      [runId, otherRunId],
    );
    return row;
  }

  /** The share of the application in its call's published run, if there is one. */
  async publishedShareOf(manager: EntityManager, applicationId: number): Promise<(ShareRow & { published_at: Date }) | null> {
    const [row] = await manager.query(
      `SELECT s.*, r.published_at FROM allocation_share s JOIN allocation_run r ON r.id = s.run_id
        WHERE s.application_id = $1 AND r.published_at IS NOT NULL`,
      [applicationId],
    );
    return row ? withJson(row) : null;
  }

  /** Waits for any other publication of the call to finish; held until this transaction ends. */
  async lockPublication(manager: EntityManager, callId: number): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock($1, $2)`, [PUBLICATION_LOCK, callId]);
  }

  async markPublished(manager: EntityManager, id: number, by: string, pendingReviewReason: string | null): Promise<void> {
    await manager.query(`UPDATE allocation_run SET published_at = now(), published_by_label = $2, pending_review_reason = $3 WHERE id = $1`, [
      id,
      by,
      pendingReviewReason,
    ]);
  }

  async insertPayments(manager: EntityManager, runId: number, payments: NewPayment[]): Promise<void> {
    if (payments.length === 0) return;
    await manager.query(
      `INSERT INTO payment (run_id, applicant_id, kind, amount_cents, payout_iban, reference)
       SELECT $1, p.applicant_id, p.kind, p.amount_cents, p.payout_iban, p.reference
         FROM jsonb_to_recordset($2::jsonb) AS p(applicant_id integer, kind varchar, amount_cents bigint, payout_iban varchar, reference varchar)`,
      [
        runId,
        JSON.stringify(
          payments.map((p) => ({ applicant_id: p.applicantId, kind: p.kind, amount_cents: p.amountCents, payout_iban: p.payoutIban, reference: p.reference })),
        ),
      ],
    );
  }

  async paymentsOf(manager: EntityManager, runId: number): Promise<PaymentRow[]> {
    return manager.query(
      `SELECT id, applicant_id, kind, amount_cents, payout_iban, reference, released_at, released_by_label FROM payment WHERE run_id = $1 ORDER BY applicant_id, kind`,
      [runId],
    );
  }

  /** One page of the run's payments, in the order of `paymentsOf` with the payment's id as the last tiebreak. */
  async paymentsPage(manager: EntityManager, runId: number, offset: number, limit: number): Promise<PaymentRow[]> {
    return manager.query(
      `SELECT id, applicant_id, kind, amount_cents, payout_iban, reference, released_at, released_by_label FROM payment
        WHERE run_id = $1 ORDER BY applicant_id, kind, id LIMIT $2 OFFSET $3`,
      [runId, limit, offset],
    );
  }

  /** The whole run's payments counted and summed by the database, all and released. */
  async paymentTotals(manager: EntityManager, runId: number): Promise<PaymentTotalsRow> {
    const [row] = await manager.query(
      `SELECT count(*) AS payments, coalesce(sum(amount_cents), 0) AS amount_cents,
              count(*) FILTER (WHERE released_at IS NOT NULL) AS released, coalesce(sum(amount_cents) FILTER (WHERE released_at IS NOT NULL), 0) AS released_cents
         FROM payment WHERE run_id = $1`,
      [runId],
    );
    return row;
  }

  /** Releases these payments for payment (four eyes: on an approved proposal); only those not yet released. */
  async releasePayments(manager: EntityManager, ids: number[], by: string, proposalId: number): Promise<number> {
    const [rows] = await manager.query(
      `UPDATE payment SET released_at = now(), released_by_label = $2, release_proposal_id = $3 WHERE id = ANY($1::integer[]) AND released_at IS NULL RETURNING id`,
      [ids, by, proposalId],
    );
    return (rows as unknown[]).length;
  }

  /** Locks the run until the transaction ends: proposals about it are made and decided one at a time. */
  async lockRun(manager: EntityManager, id: number): Promise<void> {
    await manager.query(`SELECT id FROM allocation_run WHERE id = $1 FOR UPDATE`, [id]);
  }

  async latestRunId(manager: EntityManager, callId: number): Promise<number | null> {
    const [row] = await manager.query(`SELECT max(id) AS id FROM allocation_run WHERE call_id = $1`, [callId]);
    return row?.id ?? null;
  }
}
