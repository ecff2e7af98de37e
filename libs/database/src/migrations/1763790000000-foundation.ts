import { MigrationInterface, QueryRunner } from 'typeorm';

/** The menu, the calls and their KPI catalogue, local governments, statistics, users and applicants. */
export class Foundation1763790000000 implements MigrationInterface {
  name = 'Foundation1763790000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE objective (
        code varchar(40) PRIMARY KEY,
        name_nl varchar(200) NOT NULL,
        position smallint NOT NULL UNIQUE
      )`);
    await db.query(`
      CREATE TABLE action (
        number smallint PRIMARY KEY CHECK (number BETWEEN 1 AND 99),
        objective_code varchar(40) NOT NULL REFERENCES objective(code),
        title_nl varchar(300) NOT NULL
      )`);
    await db.query(`
      CREATE TABLE call (
        id serial PRIMARY KEY,
        year_number smallint NOT NULL UNIQUE CHECK (year_number > 0),
        name_nl varchar(200) NOT NULL,
        submission_opens_at timestamptz NOT NULL,
        submission_closes_at timestamptz NOT NULL,
        project_start date NOT NULL,
        project_end date NOT NULL,
        budget_cents bigint CHECK (budget_cents >= 0),
        decision_date date,
        interim_report_due_at timestamptz,
        final_report_due_at timestamptz,
        eligibility_threshold integer NOT NULL DEFAULT 7500 CHECK (eligibility_threshold >= 0),
        origin_definition varchar(40) NOT NULL,
        statistics_reference_year smallint NOT NULL,
        only_existing_applicants boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        CHECK (submission_closes_at > submission_opens_at),
        CHECK (project_end > project_start)
      )`);
    await db.query(`
      CREATE TABLE call_action (
        call_id integer NOT NULL REFERENCES call(id) ON DELETE CASCADE,
        action_number smallint NOT NULL REFERENCES action(number),
        funded boolean NOT NULL,
        PRIMARY KEY (call_id, action_number)
      )`);
    await db.query(`
      CREATE TABLE kpi_line (
        id serial PRIMARY KEY,
        call_id integer NOT NULL,
        action_number smallint NOT NULL,
        position smallint NOT NULL CHECK (position > 0),
        description_nl varchar(500) NOT NULL,
        unit_nl varchar(200) NOT NULL,
        max_quantity integer NOT NULL CHECK (max_quantity > 0),
        unit_amount_cents bigint NOT NULL CHECK (unit_amount_cents >= 0),
        UNIQUE (call_id, action_number, position),
        FOREIGN KEY (call_id, action_number) REFERENCES call_action(call_id, action_number) ON DELETE CASCADE
      )`);

    await db.query(`
      CREATE TABLE local_government (
        id serial PRIMARY KEY,
        nis_code char(5) UNIQUE CHECK (nis_code ~ '^[0-9]{5}$'),
        kind varchar(20) NOT NULL CHECK (kind IN ('municipality', 'vgc', 'de-rand')),
        name_nl varchar(200) NOT NULL,
        arrondissement_nl varchar(100),
        province_nl varchar(100),
        inhabitants_2020 integer CHECK (inhabitants_2020 >= 0),
        facility_municipality boolean NOT NULL DEFAULT false,
        CHECK ((kind = 'municipality') = (nis_code IS NOT NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX local_government_special_kind ON local_government(kind) WHERE kind <> 'municipality'`);
    await db.query(`CREATE INDEX local_government_name ON local_government(lower(name_nl))`);
    await db.query(`
      CREATE TABLE reference_region (
        id serial PRIMARY KEY,
        code varchar(40) NOT NULL UNIQUE,
        name_nl varchar(200) NOT NULL,
        fictional boolean NOT NULL DEFAULT false
      )`);
    await db.query(`
      CREATE TABLE reference_region_member (
        local_government_id integer PRIMARY KEY REFERENCES local_government(id),
        reference_region_id integer NOT NULL REFERENCES reference_region(id) ON DELETE CASCADE
      )`);
    await db.query(`
      CREATE TABLE origin_statistic (
        local_government_id integer NOT NULL REFERENCES local_government(id),
        reference_year smallint NOT NULL,
        origin_definition varchar(40) NOT NULL,
        residents integer NOT NULL CHECK (residents >= 0),
        fictional boolean NOT NULL DEFAULT false,
        PRIMARY KEY (local_government_id, reference_year, origin_definition)
      )`);

    await db.query(`
      CREATE TABLE app_user (
        id serial PRIMARY KEY,
        email varchar(254) NOT NULL,
        display_name varchar(200) NOT NULL,
        password_hash varchar(200) NOT NULL,
        role varchar(40) NOT NULL CHECK (role IN ('municipal-officer', 'abb-reviewer', 'abb-administrator', 'vvsg-analyst', 'platform-administrator')),
        local_government_id integer REFERENCES local_government(id),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((role = 'municipal-officer') = (local_government_id IS NOT NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX app_user_email ON app_user(lower(email))`);

    await db.query(`
      CREATE TABLE applicant (
        id serial PRIMARY KEY,
        call_id integer NOT NULL REFERENCES call(id),
        kind varchar(20) NOT NULL CHECK (kind IN ('alone', 'cooperation', 'vgc', 'de-rand')),
        name_nl varchar(200) NOT NULL,
        lead_local_government_id integer NOT NULL REFERENCES local_government(id),
        version integer NOT NULL DEFAULT 1,
        UNIQUE (call_id, lead_local_government_id)
      )`);
    await db.query(`
      CREATE TABLE applicant_member (
        applicant_id integer NOT NULL REFERENCES applicant(id) ON DELETE CASCADE,
        call_id integer NOT NULL REFERENCES call(id),
        local_government_id integer NOT NULL REFERENCES local_government(id),
        PRIMARY KEY (applicant_id, local_government_id),
        UNIQUE (call_id, local_government_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'applicant_member',
      'applicant',
      'app_user',
      'origin_statistic',
      'reference_region_member',
      'reference_region',
      'local_government',
      'kpi_line',
      'call_action',
      'call',
      'action',
      'objective',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
