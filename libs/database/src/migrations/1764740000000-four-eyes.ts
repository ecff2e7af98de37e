import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Four eyes on money (issue 26): `money_proposal` holds a proposal to publish an allocation run, release a run's
 * payment list or waive a reclaim, with its totals and a snapshot of the inputs it was made on, until another ABB
 * person approves it or either withdraws it. One pending proposal per subject; the database refuses an approval by
 * the proposer as a last guard. Payments carry their release; those ordered before this migration were handed to
 * finance under the one-step rule and count as released. Each call sets the amount above which a waiver needs a
 * second person (0: every waiver that forgoes money).
 */
export class FourEyes1764740000000 implements MigrationInterface {
  name = 'FourEyes1764740000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE money_proposal (
        id serial PRIMARY KEY,
        kind varchar NOT NULL CHECK (kind IN ('publish-allocation', 'release-payments', 'waive-reclaim')),
        subject_key varchar NOT NULL,
        run_id integer NOT NULL REFERENCES allocation_run(id),
        application_id integer REFERENCES application(id),
        kpi_line_id integer,
        input jsonb NOT NULL,
        totals jsonb NOT NULL,
        inputs jsonb NOT NULL,
        state varchar NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'withdrawn')),
        version integer NOT NULL DEFAULT 1,
        proposed_by_user_id integer NOT NULL REFERENCES app_user(id),
        proposed_by_label varchar NOT NULL,
        proposed_at timestamptz NOT NULL DEFAULT now(),
        decided_by_user_id integer REFERENCES app_user(id),
        decided_by_label varchar,
        decided_at timestamptz,
        CHECK (state <> 'approved' OR decided_by_user_id <> proposed_by_user_id)
      )`);
    await db.query(`CREATE UNIQUE INDEX money_proposal_one_pending ON money_proposal(subject_key) WHERE state = 'pending'`);
    await db.query(
      `ALTER TABLE payment ADD COLUMN released_at timestamptz, ADD COLUMN released_by_label varchar, ADD COLUMN release_proposal_id integer REFERENCES money_proposal(id)`,
    );
    await db.query(`UPDATE payment SET released_at = created_at, released_by_label = 'vrijgegeven vóór de vier-ogenregel'`);
    await db.query(`ALTER TABLE call ADD COLUMN waiver_approval_threshold_cents bigint NOT NULL DEFAULT 0 CHECK (waiver_approval_threshold_cents >= 0)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE call DROP COLUMN waiver_approval_threshold_cents`);
    await db.query(`ALTER TABLE payment DROP COLUMN release_proposal_id, DROP COLUMN released_by_label, DROP COLUMN released_at`);
    await db.query(`DROP TABLE money_proposal`);
  }
}
