import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Allocation runs of a call (simulations, at most one published), each applicant's share of a run, and the
 * payments a published run orders, and the archive of decision letters as sent. A run is never changed after it is written, except to publish it.
 */
export class Allocation1764100000000 implements MigrationInterface {
  name = 'Allocation1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE allocation_run (
        id serial PRIMARY KEY,
        call_id integer NOT NULL REFERENCES call(id),
        budget_cents bigint NOT NULL CHECK (budget_cents >= 0),
        policy jsonb NOT NULL,
        input_hash char(64) NOT NULL,
        outcome jsonb NOT NULL,
        pending_review_application_ids integer[] NOT NULL DEFAULT '{}',
        created_by_user_id integer REFERENCES app_user(id),
        created_by_label varchar NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        published_by_label varchar,
        pending_review_reason varchar
      )`);
    await db.query(`CREATE INDEX allocation_run_call ON allocation_run (call_id, id)`);
    await db.query(`CREATE UNIQUE INDEX allocation_run_one_published ON allocation_run (call_id) WHERE published_at IS NOT NULL`);
    await db.query(`
      CREATE TABLE allocation_share (
        run_id integer NOT NULL REFERENCES allocation_run(id) ON DELETE CASCADE,
        applicant_id integer NOT NULL REFERENCES applicant(id),
        application_id integer NOT NULL REFERENCES application(id),
        confirmed_cents bigint NOT NULL CHECK (confirmed_cents >= 0),
        allocated_cents bigint NOT NULL CHECK (allocated_cents >= 0 AND allocated_cents <= confirmed_cents),
        detail jsonb NOT NULL,
        PRIMARY KEY (run_id, applicant_id)
      )`);
    await db.query(`CREATE INDEX allocation_share_application ON allocation_share (application_id)`);
    await db.query(`
      CREATE TABLE payment (
        id serial PRIMARY KEY,
        run_id integer NOT NULL REFERENCES allocation_run(id),
        applicant_id integer NOT NULL REFERENCES applicant(id),
        kind varchar NOT NULL CHECK (kind IN ('advance', 'balance', 'recovery')),
        amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
        payout_iban varchar,
        reference varchar NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (run_id, applicant_id, kind)
      )`);
    // The final realised quantity per confirmed KPI line as ABB records it (until the final reports feed it), with ABB's waiver.
    await db.query(`ALTER TABLE call ADD COLUMN reclaim_tolerance_percent smallint NOT NULL DEFAULT 10 CHECK (reclaim_tolerance_percent BETWEEN 0 AND 100)`);
    await db.query(`
      CREATE TABLE settlement_line (
        application_id integer NOT NULL REFERENCES application(id),
        kpi_line_id integer NOT NULL REFERENCES kpi_line(id),
        realised_quantity integer NOT NULL CHECK (realised_quantity >= 0),
        waiver_reason varchar,
        recorded_by_label varchar NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (application_id, kpi_line_id)
      )`);
    // The balance of an application, computed once and closed: the balance payment or the amount to recover follows.
    await db.query(`
      CREATE TABLE settlement (
        application_id integer PRIMARY KEY REFERENCES application(id),
        run_id integer NOT NULL REFERENCES allocation_run(id),
        allocated_cents bigint NOT NULL,
        advance_cents bigint NOT NULL,
        reclaim_cents bigint NOT NULL,
        balance_cents bigint NOT NULL,
        detail jsonb NOT NULL,
        settled_by_label varchar NOT NULL,
        settled_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Every decision letter as first sent, per application and published run (none: the letter of the approval itself).
    await db.query(`
      CREATE TABLE decision_letter (
        id serial PRIMARY KEY,
        application_id integer NOT NULL REFERENCES application(id),
        allocation_run_id integer REFERENCES allocation_run(id),
        sha256 char(64) NOT NULL,
        content bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX decision_letter_once ON decision_letter (application_id, coalesce(allocation_run_id, 0))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE decision_letter`);
    await db.query(`DROP TABLE settlement`);
    await db.query(`DROP TABLE settlement_line`);
    await db.query(`ALTER TABLE call DROP COLUMN reclaim_tolerance_percent`);
    await db.query(`DROP TABLE payment`);
    await db.query(`DROP TABLE allocation_share`);
    await db.query(`DROP TABLE allocation_run`);
  }
}
