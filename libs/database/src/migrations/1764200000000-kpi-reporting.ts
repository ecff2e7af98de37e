import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * KPI reports per approved application and project year: an interim and a final report, each with a line per
 * confirmed KPI line; ABB's review; reopenings after the deadline; and the reminders sent (never twice).
 */
export class KpiReporting1764200000000 implements MigrationInterface {
  name = 'KpiReporting1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE kpi_report (
        id serial PRIMARY KEY,
        application_id integer NOT NULL REFERENCES application(id),
        kind varchar NOT NULL CHECK (kind IN ('interim', 'final')),
        status varchar NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'returned', 'accepted')),
        version integer NOT NULL DEFAULT 1,
        submitted_at timestamptz,
        late boolean NOT NULL DEFAULT false,
        reopened_until timestamptz,
        review_comment varchar,
        reviewed_by_label varchar,
        reviewed_at timestamptz,
        UNIQUE (application_id, kind)
      )`);
    await db.query(`
      CREATE TABLE kpi_report_line (
        report_id integer NOT NULL REFERENCES kpi_report(id) ON DELETE CASCADE,
        kpi_line_id integer NOT NULL REFERENCES kpi_line(id),
        realised_quantity integer CHECK (realised_quantity >= 0),
        approach varchar NOT NULL DEFAULT '',
        partners varchar NOT NULL DEFAULT '',
        motivation varchar NOT NULL DEFAULT '',
        motivation_accepted boolean NOT NULL DEFAULT false,
        review_comment varchar,
        PRIMARY KEY (report_id, kpi_line_id)
      )`);
    await db.query(`
      CREATE TABLE report_reminder (
        application_id integer NOT NULL REFERENCES application(id),
        kind varchar NOT NULL CHECK (kind IN ('interim', 'final')),
        days_before smallint NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (application_id, kind, days_before)
      )`);
    // Optional evidence per reported KPI line: PDF or image files, kept with their SHA-256.
    await db.query(`
      CREATE TABLE kpi_report_evidence (
        id serial PRIMARY KEY,
        report_id integer NOT NULL REFERENCES kpi_report(id) ON DELETE CASCADE,
        kpi_line_id integer NOT NULL REFERENCES kpi_line(id),
        filename varchar(200) NOT NULL,
        content_type varchar NOT NULL,
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        sha256 char(64) NOT NULL,
        content bytea NOT NULL,
        uploaded_by_label varchar NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX kpi_report_evidence_line ON kpi_report_evidence (report_id, kpi_line_id)`);
    // The interim realised quantity of a line came from an accepted interim report: a manual change then needs a reason.
    await db.query(`ALTER TABLE application_line ADD COLUMN interim_from_report boolean NOT NULL DEFAULT false`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE application_line DROP COLUMN interim_from_report`);
    await db.query(`DROP TABLE kpi_report_evidence`);
    await db.query(`DROP TABLE report_reminder`);
    await db.query(`DROP TABLE kpi_report_line`);
    await db.query(`DROP TABLE kpi_report`);
  }
}
