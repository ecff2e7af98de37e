import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a decision letter needs to hold up as a decision (issue 25), set per call by ABB on the call settings page:
 * the signatory (name and function of the ABB official who decides) and the means of appeal with its term, which the
 * Bestuursdecreet requires a decision to state. Empty for the calls so far: their letters were sent without them, and
 * the archived PDFs stay as they were. Per KPI line, the reason ABB gives when it confirms less than was requested.
 */
export class DecisionLetterSettings1764790000000 implements MigrationInterface {
  name = 'DecisionLetterSettings1764790000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE call ADD COLUMN signatory_name varchar(200)`);
    await db.query(`ALTER TABLE call ADD COLUMN signatory_function varchar(200)`);
    await db.query(`ALTER TABLE call ADD COLUMN appeal_text varchar(2000)`);
    await db.query(`ALTER TABLE application_line ADD COLUMN reduction_reason varchar(1000)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE application_line DROP COLUMN reduction_reason`);
    await db.query(`ALTER TABLE call DROP COLUMN appeal_text`);
    await db.query(`ALTER TABLE call DROP COLUMN signatory_function`);
    await db.query(`ALTER TABLE call DROP COLUMN signatory_name`);
  }
}
