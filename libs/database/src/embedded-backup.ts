import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { DataDirInUse, lockDataDir } from './data-dir-lock';
import { requestBackup } from './backup-channel';

/**
 * Backups of the embedded database (docs/deployment.md, "Backups"). A backup file is PGlite's own tarball of the
 * data directory (DATA_DIR/pglite), gzipped: `new PGlite({ loadDataDir })` opens it without this code. Everything the
 * platform keeps is in it: the uploaded and generated documents are bytea columns, nothing else lives in DATA_DIR.
 */

/** A backup or restore that cannot go ahead; its message is the one line the CLI prints. */
export class BackupRefused extends Error {}

const GZIP_MAGIC = [0x1f, 0x8b];

export interface BackupResult {
  file: string;
  bytes: number;
  /** Who took the snapshot: the running process (its pid, over the backup channel), or this process. */
  takenBy: { runningProcess: number } | 'this process';
}

/**
 * Writes a consistent snapshot of DATA_DIR's database to file: asked of the process that holds the data directory
 * when one runs (backup-channel.ts), else taken here with the directory locked so no platform starts meanwhile.
 */
export async function backupEmbedded(dataDir: string, file: string): Promise<BackupResult> {
  const dir = resolve(dataDir);
  const target = resolve(file);
  if (existsSync(target)) throw new BackupRefused(`${target} exists: choose another file name (a backup never overwrites one)`);
  let unlock: () => void;
  try {
    unlock = lockDataDir(dir);
  } catch (error) {
    if (!(error instanceof DataDirInUse)) throw error;
    const tar = await requestBackup(dir).catch((cause: Error) => {
      throw new BackupRefused(`${error.message} It does not answer on its backup channel: ${cause.message}`);
    });
    return { file: target, bytes: await writeAtomically(target, tar), takenBy: { runningProcess: error.pid } };
  }
  try {
    const pgdata = join(dir, 'pglite');
    if (!existsSync(join(pgdata, 'PG_VERSION'))) throw new BackupRefused(`${pgdata} holds no database: nothing to back up`);
    const db = await PGlite.create({ dataDir: pgdata });
    let tar: Buffer;
    try {
      await db.exec('CHECKPOINT');
      tar = Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
    } finally {
      await db.close();
    }
    return { file: target, bytes: await writeAtomically(target, tar), takenBy: 'this process' };
  } finally {
    unlock();
  }
}

/** Gzips the tarball into file.partial and renames it, so an interrupted backup never leaves a file that looks whole. */
async function writeAtomically(file: string, tar: Buffer): Promise<number> {
  const compressed = await promisify(gzip)(tar);
  const partial = `${file}.partial`;
  try {
    writeFileSync(partial, compressed, { mode: 0o600 });
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return compressed.length;
}

export interface RestoreResult {
  dataDir: string;
  tables: number;
  lastMigration: string;
}

/**
 * Restores a backup file into DATA_DIR/pglite, only when no process holds DATA_DIR (DataDirInUse) and that directory
 * is absent or empty. The database is unpacked and opened in DATA_DIR/pglite.restoring first and moved into place
 * only once it opened and holds the platform's migrations, so a failed restore leaves DATA_DIR as it was.
 */
export async function restoreEmbedded(dataDir: string, file: string): Promise<RestoreResult> {
  const dir = resolve(dataDir);
  const source = resolve(file);
  const unlock = lockDataDir(dir);
  const pgdata = join(dir, 'pglite');
  const staging = join(dir, 'pglite.restoring');
  try {
    if (!existsSync(source)) throw new BackupRefused(`${source} does not exist`);
    if (existsSync(pgdata) && readdirSync(pgdata).length > 0) {
      throw new BackupRefused(`${pgdata} is not empty: a restore only goes into an empty data directory (move it away first)`);
    }
    let tar = readFileSync(source);
    if (tar[0] === GZIP_MAGIC[0] && tar[1] === GZIP_MAGIC[1]) tar = await promisify(gunzip)(tar);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    let result: Omit<RestoreResult, 'dataDir'>;
    const db = await PGlite.create({ dataDir: staging, loadDataDir: new Blob([tar]) }).catch((error: Error) => {
      throw new BackupRefused(`${source} is not a backup of the embedded database: ${error.message.split('\n')[0]}`);
    });
    try {
      result = await describe(db, source);
    } finally {
      await db.close();
    }
    rmSync(pgdata, { recursive: true, force: true }); // absent or empty
    renameSync(staging, pgdata);
    return { dataDir: pgdata, ...result };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  } finally {
    unlock();
  }
}

/** What the restored database holds; a tarball without the platform's tables (PGlite made an empty one) is refused. */
async function describe(db: PGlite, source: string): Promise<Omit<RestoreResult, 'dataDir'>> {
  const {
    rows: [{ tables, migrations }],
  } = await db.query<{ tables: number; migrations: boolean }>(
    `SELECT count(*)::int AS tables, bool_or(table_name = 'schema_migrations') AS migrations
       FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  if (!migrations) throw new BackupRefused(`${source} holds no database of the platform (no schema_migrations table)`);
  const { rows } = await db.query<{ name: string }>(`SELECT name FROM schema_migrations ORDER BY id DESC LIMIT 1`);
  return { tables, lastMigration: rows[0]?.name ?? 'none' };
}
