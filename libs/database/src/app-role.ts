import { PlatformConfig } from '@ps/config';
import { DataSource, Migration } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Rows written once: the trail, ordered payments, closed settlements and decision letters as sent. */
export const APPEND_ONLY_TABLES = ['audit_event', 'payment', 'settlement', 'decision_letter'];

export class InvalidRoleName extends Error {
  constructor(role: string) {
    super(`"${role}" is not a role name (lower-case letters, digits and _, at most 63)`);
  }
}

/**
 * The least the platform's own role needs on the current schema: use it, read and change rows,
 * draw from sequences; on the append-only tables only SELECT and INSERT; the migrations table
 * read-only. It owns nothing, so it can never DROP, ALTER or TRUNCATE. Run as the schema owner;
 * repeatable (it starts from no table privileges).
 */
export async function grantAppRole(owner: DataSource, role: string): Promise<void> {
  if (!ROLE_NAME.test(role)) throw new InvalidRoleName(role);
  const [{ schema }] = await owner.query(`SELECT current_schema() AS schema`);
  const [r, s] = [`"${role}"`, `"${String(schema).replace(/"/g, '""')}"`];
  await owner.transaction(async (manager) => {
    for (const sql of [
      `REVOKE ALL ON ALL TABLES IN SCHEMA ${s} FROM ${r}`,
      `GRANT USAGE ON SCHEMA ${s} TO ${r}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r}`,
      `GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`,
      `REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM ${r}`,
      ...APPEND_ONLY_TABLES.map((table) => `REVOKE UPDATE, DELETE ON ${table} FROM ${r}`),
    ]) {
      await manager.query(sql);
    }
  });
}

/** The role the platform connects as (the user in DATABASE_URL), when it is not the owner's. */
function appRoleOf(config: PlatformConfig): string | undefined {
  const app = decodeURIComponent(new URL(config.DATABASE_URL!).username);
  const owner = decodeURIComponent(new URL(config.MIGRATIONS_DATABASE_URL!).username);
  return app && app !== owner ? app : undefined;
}

/**
 * Runs the pending migrations as the schema owner (MIGRATIONS_DATABASE_URL), then grants the
 * platform's role its privileges again, so tables a migration added are covered.
 */
export async function migrateAsOwner(config: PlatformConfig): Promise<Migration[]> {
  const owner = new DataSource({
    ...dataSourceOptions(config),
    url: config.MIGRATIONS_DATABASE_URL,
    migrationsRun: false,
    applicationName: 'plan-samenleven-migrations',
    extra: { max: 1 },
  } as never);
  await owner.initialize();
  try {
    const ran = await owner.runMigrations({ transaction: 'each' });
    const role = appRoleOf(config);
    if (role) await grantAppRole(owner, role);
    return ran;
  } finally {
    await owner.destroy();
  }
}

/** Runs work on a connection as the schema owner: MIGRATIONS_DATABASE_URL, or else the platform's own. */
export async function asOwner<T>(config: PlatformConfig, platform: DataSource, work: (owner: DataSource) => Promise<T>): Promise<T> {
  if (!config.MIGRATIONS_DATABASE_URL) return work(platform);
  const owner = new DataSource({ ...dataSourceOptions(config), url: config.MIGRATIONS_DATABASE_URL, migrationsRun: false, extra: { max: 1 } } as never);
  await owner.initialize();
  try {
    return await work(owner);
  } finally {
    await owner.destroy();
  }
}
