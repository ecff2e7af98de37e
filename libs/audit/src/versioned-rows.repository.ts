import { EntityManager } from 'typeorm';
import { sqlIdentifier } from '@ps/database';

/**
 * The SQL of `changeVersioned` (versioned-change.ts), which works on any versioned table of the lib that calls it:
 * the table name always comes from that lib's `VersionedRecord`, never from input.
 */
export const VersionedRows = {
  /** Locks the row until the transaction ends, so the version check and the update are one step. */
  async lock(manager: EntityManager, table: string, id: number): Promise<void> {
    await manager.query(`SELECT 1 FROM ${sqlIdentifier(table)} WHERE id = $1 FOR UPDATE`, [id]);
  },

  /** Sets the columns and bumps the version when it is still the expected one; false when it was not. */
  async update(manager: EntityManager, table: string, id: number, expectedVersion: number, columns: [string, unknown][]): Promise<boolean> {
    const assignments = [...columns.map(([column], i) => `${sqlIdentifier(column)} = $${i + 3}`), 'version = version + 1'];
    // TypeORM answers an UPDATE … RETURNING with [rows, affectedCount] on both drivers; the rows tell whether it matched.
    const [updated] = await manager.query(`UPDATE ${sqlIdentifier(table)} SET ${assignments.join(', ')} WHERE id = $1 AND version = $2 RETURNING id`, [
      id,
      expectedVersion,
      ...columns.map(([, value]) => value),
    ]);
    return (updated as unknown[]).length > 0;
  },
};
