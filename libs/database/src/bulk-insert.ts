import { EntityManager } from 'typeorm';

/** One multi-row INSERT followed by the given ON CONFLICT clause; returns the rows written. */
async function insertRows(manager: EntityManager, table: string, columns: string[], rows: unknown[][], onConflict: string): Promise<number> {
  if (rows.length === 0) return 0;
  const placeholders = rows.map((row, r) => `(${row.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
  const written = await manager.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${placeholders} ${onConflict} RETURNING 1`, rows.flat());
  return written.length;
}

/** Inserts the rows that are not there yet; conflictTarget is e.g. "(code)". */
export function insertMissing(manager: EntityManager, table: string, columns: string[], rows: unknown[][], conflictTarget: string): Promise<number> {
  return insertRows(manager, table, columns, rows, `ON CONFLICT ${conflictTarget} DO NOTHING`);
}

/** Inserts the rows, or updates the given columns of those already there. */
export function upsertRows(
  manager: EntityManager,
  table: string,
  columns: string[],
  rows: unknown[][],
  conflictTarget: string,
  update: string[],
): Promise<number> {
  const set = update.map((column) => `${column} = EXCLUDED.${column}`).join(', ');
  return insertRows(manager, table, columns, rows, `ON CONFLICT ${conflictTarget} DO UPDATE SET ${set}`);
}
