import { readFileSync } from 'node:fs';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { SingleBar } from 'cli-progress';
import { DataSource } from 'typeorm';
import { PlatformConfig } from '@ps/config';
import { APPEND_ONLY_TABLES, asOwner, grantAppRole, InvalidRoleName, migrateAsOwner } from '@ps/database';
import { cliActor, PASSWORD_RULES, UsersService } from '@ps/identity';
import { ImportProgress, OrganisationsService } from '@ps/organisations';
import { DemoStoryService, GeneratorService, MAX_SCALE, SetupService } from '@ps/setup';
import { BACKUP_COMMANDS, type Command } from './backup-commands';
import { UsageError } from './usage-error';

export type { Command };
export { UsageError };

/** A progress bar on a terminal, nothing when the output is piped (CI logs). */
function progress(label: string): { onProgress: ImportProgress; stop: () => void } {
  if (!process.stderr.isTTY) return { onProgress: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} regels`, stream: process.stderr });
  let started = false;
  return {
    onProgress: (done, total) => (started ? bar.update(done) : (bar.start(total, done), (started = true))),
    stop: () => bar.stop(),
  };
}

function importCommand(kind: 'regions' | 'statistics'): Command {
  return {
    usage: `import ${kind} <file.csv>`,
    summary:
      kind === 'regions'
        ? 'import reference-region membership (docs/imports.md); all lines or none'
        : 'import residents of non-EU origin per municipality and year (docs/imports.md); all lines or none',
    async run(app, [file], out) {
      if (!file) throw new UsageError(`missing file: import ${kind} <file.csv>`);
      const content = readFileSync(file);
      const bar = progress(kind === 'regions' ? "Referentieregio's" : 'Statistieken');
      try {
        const service = app.get(OrganisationsService);
        const count =
          kind === 'regions'
            ? await service.importRegions(content, { actor: cliActor(), onProgress: bar.onProgress })
            : await service.importStatistics(content, {
                actor: cliActor(),
                onProgress: bar.onProgress,
                onReplacedDerived: (replaced) => replaced.forEach((line) => out(`Afgeleid cijfer vervangen: ${line}.`)),
              });
        bar.stop();
        out(`${count} regels geïmporteerd uit ${file}.`);
      } finally {
        bar.stop();
      }
    },
  };
}

/** --scale N (default 1), --seed S (default 20260101), --force. */
function generateOptions(args: string[]): { scale: number; seed: number; force: boolean } {
  const options = { scale: 1, seed: 20260101, force: false };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split('=', 2);
    if (flag === '--force') {
      options.force = true;
      continue;
    }
    if (flag !== '--scale' && flag !== '--seed') throw new UsageError(`unknown option ${args[i]}: generate [--scale N] [--seed S] [--force]`);
    const text = inline ?? args[++i];
    const value = Number(text);
    if (!/^\d+$/.test(text ?? '') || (flag === '--scale' && (value < 1 || value > MAX_SCALE)) || value > 0xffffffff) {
      throw new UsageError(flag === '--scale' ? `--scale must be a whole number from 1 to ${MAX_SCALE}` : '--seed must be a whole number from 0 to 4294967295');
    }
    options[flag === '--scale' ? 'scale' : 'seed'] = value;
  }
  return options;
}

export const COMMANDS: Record<string, Command> = {
  migrate: {
    usage: 'migrate',
    summary: 'run the pending database migrations',
    // Migrate itself, so that it can report what it applied instead of finding them already run at start.
    config: { MIGRATIONS_RUN: 'false' },
    async run(app, _args, out) {
      const config = app.get(PlatformConfig);
      const ran = config.MIGRATIONS_DATABASE_URL
        ? await migrateAsOwner(config)
        : await app.get<DataSource>(getDataSourceToken()).runMigrations({ transaction: 'each' });
      out(ran.length === 0 ? 'Database is up to date.' : `Ran ${ran.map((m) => m.name).join(', ')}.`);
    },
  },
  'seed reference': {
    usage: 'seed reference',
    summary: 'load the menu, calls, KPI catalogues and local governments where missing',
    async run(app, _args, out) {
      await app.get(SetupService).loadReferenceData();
      out('Reference data loaded.');
    },
  },
  'seed demo': {
    usage: 'seed demo',
    summary:
      "load the fictional demo data (statistics, regions, users, applicants) and, unless DEMO_STORY=false, the demo's story (docs/demo.md), where missing",
    async run(app, _args, out) {
      await app.get(SetupService).loadReferenceData();
      if (app.get(PlatformConfig).DEMO_STORY !== false) await app.get(DemoStoryService).tell();
      const users = await app.get(SetupService).loadDemoData();
      out(`Demo data loaded; ${users.length} demo accounts.`);
    },
  },
  'create-admin': {
    usage: 'create-admin <email> <name…>',
    summary: 'create an ABB administrator; the password comes from ADMIN_PASSWORD or is generated and printed once',
    async run(app, [email, ...name], out) {
      if (!email || name.length === 0) throw new UsageError('usage: create-admin <email> <name…>');
      const generated = !process.env.ADMIN_PASSWORD;
      const password = process.env.ADMIN_PASSWORD ?? randomBytes(18).toString('base64url');
      if (password.length < PASSWORD_RULES.min) throw new UsageError(`ADMIN_PASSWORD must have at least ${PASSWORD_RULES.min} characters`);
      const user = await app.get(UsersService).createWithPassword(cliActor(), { email, displayName: name.join(' '), role: 'abb-administrator', password });
      out(`Created ABB administrator ${user.email} (id ${user.id}).${generated ? ` Password: ${password}` : ''}`);
    },
  },
  'grant-app-role': {
    usage: 'grant-app-role <role>',
    summary: "give the platform's own PostgreSQL role its least privileges (docs/security.md); run as the schema owner",
    config: { MIGRATIONS_RUN: 'false' },
    async run(app, [role], out) {
      const config = app.get(PlatformConfig);
      if (config.embedded) throw new UsageError('grant-app-role needs DATABASE_URL: the embedded database has one role');
      if (!role) throw new UsageError('usage: grant-app-role <role>');
      try {
        await asOwner(config, app.get<DataSource>(getDataSourceToken()), (owner) => grantAppRole(owner, role));
      } catch (error) {
        throw error instanceof InvalidRoleName ? new UsageError(error.message) : error;
      }
      out(`Granted ${role} SELECT, INSERT, UPDATE, DELETE on the tables; only SELECT, INSERT on ${APPEND_ONLY_TABLES.join(', ')}.`);
    },
  },
  generate: {
    usage: 'generate [--scale N] [--seed S] [--force]',
    summary: 'fill an empty database with synthetic applications, reviews and KPI reports, N × 59 applicants (docs/generator.md)',
    async run(app, args, out) {
      const options = generateOptions(args);
      const bar = progress('Genereren');
      try {
        const config = app.get(PlatformConfig);
        const result = await asOwner(config, app.get<DataSource>(getDataSourceToken()), (owner) =>
          app.get(GeneratorService).generate(owner, { ...options, onProgress: bar.onProgress }),
        );
        bar.stop();
        out(
          `Generated scale ${result.scale} with seed ${result.seed} in ${result.seconds.toFixed(1)} s: ${result.years} project years, ` +
            `${result.applicantsPerYear} applicants and ${result.localGovernmentsPerYear} local governments per year (${result.syntheticLocalGovernments} synthetic).`,
        );
        out(
          Object.entries(result.counts)
            .map(([table, count]) => `${table}: ${count}`)
            .join(', '),
        );
        out(`Fingerprint: ${result.fingerprint}`);
      } finally {
        bar.stop();
      }
    },
  },
  ...BACKUP_COMMANDS,
  'import regions': importCommand('regions'),
  'import statistics': importCommand('statistics'),
  'import mergers': {
    usage: 'import mergers <file.csv>',
    summary: 'apply a table of municipal mergers (docs/calls.md, municipal mergers); all lines or none, lines applied before are left out',
    async run(app, [file], out) {
      if (!file) throw new UsageError('missing file: import mergers <file.csv>');
      const { successors } = await app.get(OrganisationsService).importMergers(readFileSync(file), { actor: cliActor() });
      for (const s of successors) out(`${s.nisCode} ${s.nameNl} vanaf ${s.validFrom}: ${s.predecessors.join(', ')}.`);
      out(`${successors.length} fusie(s) verwerkt uit ${file}.`);
    },
  },
};
