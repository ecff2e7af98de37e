import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two indexes the benchmark at 100× asked for (issue 27, docs/benchmarks.md, "Every route at national scale").
 *
 * The predecessors of a local government (`successor_id = ?`) are looked up for every municipality when a figure is
 * derived from them (the facts, the eligibility coverage). Without an index each lookup read the whole table: at 100×
 * (14,868 local governments) the coverage page took 17 s. Partial: only the few that
 * merged into another have a successor.
 *
 * The review queue is ordered by submission, oldest first, and cut into pages in SQL: with an index on the submission
 * time a page is read in that order (an incremental sort by name within equal times) instead of sorting every
 * application of every year; 51 ms → 5 ms at 100× (17,700 applications).
 */
export class RouteIndexes1764840000000 implements MigrationInterface {
  name = 'RouteIndexes1764840000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX local_government_successor ON local_government (successor_id) WHERE successor_id IS NOT NULL`);
    await db.query(`CREATE INDEX application_submitted ON application (submitted_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX application_submitted`);
    await db.query(`DROP INDEX local_government_successor`);
  }
}
