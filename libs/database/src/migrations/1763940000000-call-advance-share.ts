import { MigrationInterface, QueryRunner } from 'typeorm';

/** The share of the confirmed amount paid as an advance, a call setting (80 % as the programme paid it). */
export class CallAdvanceShare1763940000000 implements MigrationInterface {
  name = 'CallAdvanceShare1763940000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE call ADD COLUMN advance_percent smallint NOT NULL DEFAULT 80 CHECK (advance_percent BETWEEN 0 AND 100)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE call DROP COLUMN advance_percent`);
  }
}
