import { MigrationInterface, QueryRunner } from 'typeorm';

/** Applications per applicant per call: KPI lines, priorities, stimuli, workflow, review and exceptions. */
export class Applications1763820000000 implements MigrationInterface {
  name = 'Applications1763820000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE call
        ADD COLUMN cooperation_stimulus_cents bigint NOT NULL DEFAULT 1000000 CHECK (cooperation_stimulus_cents >= 0),
        ADD COLUMN mentorship_stimulus_cents bigint CHECK (mentorship_stimulus_cents >= 0),
        ADD COLUMN impact_bond_stimulus_cents bigint CHECK (impact_bond_stimulus_cents >= 0),
        ADD COLUMN interim_threshold_percent smallint NOT NULL DEFAULT 25 CHECK (interim_threshold_percent BETWEEN 0 AND 100),
        ADD COLUMN reclaim_rule varchar(40) NOT NULL DEFAULT 'pro-rata' CHECK (reclaim_rule IN ('pro-rata', 'none')),
        ADD COLUMN catalogue_version integer NOT NULL DEFAULT 1`);
    await db.query(`
      CREATE TABLE application (
        id serial PRIMARY KEY,
        applicant_id integer NOT NULL REFERENCES applicant(id),
        call_id integer NOT NULL REFERENCES call(id),
        status varchar(30) NOT NULL DEFAULT 'concept'
          CHECK (status IN ('concept', 'ingediend', 'in-behandeling', 'goedgekeurd', 'afgewezen', 'terug-naar-aanvrager')),
        version integer NOT NULL DEFAULT 1,
        catalogue_version integer NOT NULL,
        previous_application_id integer REFERENCES application(id),
        cooperation_stimulus boolean NOT NULL DEFAULT false,
        mentorship_action smallint REFERENCES action(number),
        mentorship_motivation varchar(2500),
        impact_bond boolean NOT NULL DEFAULT false,
        impact_bond_expertise varchar(2500),
        impact_bond_problem varchar(2500),
        impact_bond_actions smallint[] NOT NULL DEFAULT '{}',
        impact_bond_learning_network boolean NOT NULL DEFAULT false,
        submitted_at timestamptz,
        decided_at timestamptz,
        decision_reason varchar(2500),
        deadline_extended_until timestamptz,
        deadline_extension_reason varchar(1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (applicant_id, call_id)
      )`);
    await db.query(`CREATE INDEX application_queue ON application(call_id, status)`);
    await db.query(`
      CREATE TABLE application_line (
        application_id integer NOT NULL REFERENCES application(id) ON DELETE CASCADE,
        kpi_line_id integer NOT NULL REFERENCES kpi_line(id),
        current_reach integer NOT NULL DEFAULT 0 CHECK (current_reach >= 0),
        planned_reach integer NOT NULL DEFAULT 0 CHECK (planned_reach >= 0),
        contribution_cents bigint NOT NULL DEFAULT 0 CHECK (contribution_cents >= 0),
        confirmed_quantity integer CHECK (confirmed_quantity >= 0),
        confirmed_contribution_cents bigint CHECK (confirmed_contribution_cents >= 0),
        review_comment varchar(1000),
        interim_realised integer CHECK (interim_realised >= 0),
        positive_evaluation boolean NOT NULL DEFAULT false,
        extension_override_reason varchar(1000),
        PRIMARY KEY (application_id, kpi_line_id)
      )`);
    await db.query(`
      CREATE TABLE application_action (
        application_id integer NOT NULL REFERENCES application(id) ON DELETE CASCADE,
        action_number smallint NOT NULL REFERENCES action(number),
        priority smallint NOT NULL CHECK (priority > 0),
        PRIMARY KEY (application_id, action_number),
        UNIQUE (application_id, priority)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['application_action', 'application_line', 'application']) await db.query(`DROP TABLE ${table}`);
    await db.query(`ALTER TABLE call DROP COLUMN cooperation_stimulus_cents, DROP COLUMN mentorship_stimulus_cents, DROP COLUMN impact_bond_stimulus_cents,
      DROP COLUMN interim_threshold_percent, DROP COLUMN reclaim_rule, DROP COLUMN catalogue_version`);
  }
}
