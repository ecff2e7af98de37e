import 'reflect-metadata';
import { HttpException } from '@nestjs/common';
import { ConfigError, loadConfig } from '@ps/config';
import { BackupRefused, checkDatabaseReachable, DataDirInUse } from '@ps/database';
import { Refusal } from '@ps/kernel';
import { BACKUP_COMMANDS, type Command } from './backup-commands';
import { UsageError } from './usage-error';

const out = (line: string) => process.stdout.write(`${line}\n`);

/**
 * The other commands and their modules are loaded only when asked for: backup and restore start no application, and so
 * load none of it (a second or two on a busy machine, more from source).
 */
const allCommands = async (): Promise<Record<string, Command>> => (await import('./commands')).COMMANDS;
let rejected: (new (...args: never[]) => Error) | undefined; // ImportRejected, once the organisations lib is loaded

async function help(): Promise<string> {
  const lines = Object.values(await allCommands()).map((command) => `  ${command.usage.padEnd(34)} ${command.summary}`);
  return `Usage: npm run cli -- <command>\n\nCommands:\n${lines.join('\n')}\n\nThe database is chosen as for the platform: DATABASE_URL, or the embedded one in DATA_DIR.`;
}

async function findCommand(argv: string[]): Promise<[Command, string[]] | undefined> {
  if (BACKUP_COMMANDS[argv[0]]) return [BACKUP_COMMANDS[argv[0]], argv.slice(1)];
  const commands = await allCommands();
  for (const words of [2, 1]) {
    const command = commands[argv.slice(0, words).join(' ')];
    if (command) return [command, argv.slice(words)];
  }
  return undefined;
}

async function main(argv: string[]): Promise<number> {
  const found = await findCommand(argv);
  if (!found) {
    out(await help());
    return argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' ? 0 : 2;
  }
  const config = loadConfig({ ...process.env, DEMO_DATA: 'false', ...found[0].config });
  if (found[0].alone) {
    await found[0].alone(config, found[1], out);
    return 0;
  }
  await checkDatabaseReachable(config);
  const { NestFactory } = await import('@nestjs/core');
  const { CliModule } = await import('./cli.module');
  rejected = (await import('@ps/organisations')).ImportRejected;
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error', 'warn'], abortOnError: false });
  try {
    await found[0].run(app, found[1], out);
    return 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    const known =
      (rejected !== undefined && error instanceof rejected) ||
      error instanceof ConfigError ||
      error instanceof UsageError ||
      error instanceof Refusal ||
      error instanceof HttpException ||
      error instanceof DataDirInUse ||
      error instanceof BackupRefused;
    process.stderr.write(`${known ? error.message : `plan-samenleven: ${error.message.split('\n')[0]}`}\n`);
    process.exit(known && !(error instanceof UsageError) ? 1 : 2);
  },
);
