import 'reflect-metadata';
import { HttpException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@ps/config';
import { BackupRefused, checkDatabaseReachable, DataDirInUse } from '@ps/database';
import { Refusal } from '@ps/kernel';
import { ImportRejected } from '@ps/organisations';
import { CliModule } from './cli.module';
import { Command, COMMANDS, UsageError } from './commands';

const out = (line: string) => process.stdout.write(`${line}\n`);

function help(): string {
  const lines = Object.values(COMMANDS).map((command) => `  ${command.usage.padEnd(34)} ${command.summary}`);
  return `Usage: npm run cli -- <command>\n\nCommands:\n${lines.join('\n')}\n\nThe database is chosen as for the platform: DATABASE_URL, or the embedded one in DATA_DIR.`;
}

function findCommand(argv: string[]): [Command, string[]] | undefined {
  for (const words of [2, 1]) {
    const command = COMMANDS[argv.slice(0, words).join(' ')];
    if (command) return [command, argv.slice(words)];
  }
  return undefined;
}

async function main(argv: string[]): Promise<number> {
  const found = findCommand(argv);
  if (!found) {
    out(help());
    return argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' ? 0 : 2;
  }
  const config = loadConfig({ ...process.env, DEMO_DATA: 'false', ...found[0].config });
  if (found[0].alone) {
    await found[0].alone(config, found[1], out);
    return 0;
  }
  await checkDatabaseReachable(config);
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
      error instanceof ImportRejected ||
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
