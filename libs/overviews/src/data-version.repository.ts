import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** The overviews' own table `overview_data_change` (migration 1764400000000): the version their figure cache checks. */
@Injectable()
export class DataVersionRepository {
  /**
   * The version of the data the overviews read: the summed weight of `overview_data_change` (migration 1764400000000),
   * which a statement-level trigger on every source table grows by one per statement, visible when that statement's
   * transaction commits. Equal versions mean no committed change in between. `rows` says when to compact the log.
   */
  async dataVersion(manager: EntityManager): Promise<{ version: string; rows: number }> {
    const [row]: { version: string | number; rows: string | number }[] = await manager.query(
      `SELECT COALESCE(SUM(weight), 0)::text AS version, COUNT(*) AS rows FROM overview_data_change`,
    );
    return { version: String(row.version), rows: Number(row.rows) };
  }

  /** Folds the change log into one row with the summed weight, in one statement: the version stays what it was. */
  async compactDataChanges(manager: EntityManager): Promise<void> {
    await manager.query(
      `WITH gone AS (DELETE FROM overview_data_change RETURNING weight)
       INSERT INTO overview_data_change (weight) SELECT SUM(weight) FROM gone HAVING COUNT(*) > 0`,
    );
  }
}
