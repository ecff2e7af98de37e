import { INestApplicationContext } from '@nestjs/common';
import { PlatformConfig } from '@ps/config';
import { backupEmbedded, restoreEmbedded } from '@ps/database';
import { UsageError } from './usage-error';

/** The shape of every CLI command (commands.ts); backup and restore only have `alone`. */
export interface Command {
  usage: string;
  summary: string;
  run(app: INestApplicationContext, args: string[], out: (line: string) => void): Promise<void>;
  /** Settings this command needs whatever the environment says. */
  config?: Record<string, string>;
  /** Runs instead of run, without starting the application: no connection, no migrations, no lock taken first. */
  alone?(config: PlatformConfig, args: string[], out: (line: string) => void): Promise<void>;
}

const notAlone = () => Promise.reject(new Error('runs without the application'));

/** backup and restore are for the embedded database; on a PostgreSQL server they are pg_dump and pg_restore. */
function embeddedDataDir(config: PlatformConfig, command: 'backup' | 'restore'): string {
  if (!config.embedded) {
    throw new UsageError(
      `${command} is for the embedded database; on a PostgreSQL server use pg_${command === 'backup' ? 'dump' : 'restore'} (docs/deployment.md, "Backups and restores")`,
    );
  }
  if (config.DATA_DIR === 'memory') throw new UsageError(`DATA_DIR=memory keeps nothing: ${command} needs a data directory`);
  return config.DATA_DIR;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Backup and restore of the embedded database (docs/deployment.md, "Backups and restores"). They start no application
 * (main.ts runs them without loading the other commands), so they never migrate nor open the database by accident.
 */
export const BACKUP_COMMANDS: Record<string, Command> = {
  backup: {
    usage: 'backup <file>',
    summary: 'write a consistent snapshot of the embedded database (DATA_DIR) to a new file, also while the platform runs',
    run: notAlone,
    async alone(config, [file], out) {
      if (!file) throw new UsageError('usage: backup <file>');
      const result = await backupEmbedded(embeddedDataDir(config, 'backup'), file);
      const by = result.takenBy === 'this process' ? 'no platform runs' : `taken by the running platform, process ${result.takenBy.runningProcess}`;
      out(`Backup written to ${result.file} (${megabytes(result.bytes)}; ${by}).`);
    },
  },
  restore: {
    usage: 'restore <file>',
    summary: 'restore a backup into an empty DATA_DIR; refused while a process holds it',
    run: notAlone,
    async alone(config, [file], out) {
      if (!file) throw new UsageError('usage: restore <file>');
      const result = await restoreEmbedded(embeddedDataDir(config, 'restore'), file);
      out(`Restored ${file} into ${result.dataDir}: ${result.tables} tables, last migration ${result.lastMigration}.`);
    },
  },
};
