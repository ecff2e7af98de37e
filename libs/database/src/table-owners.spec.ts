import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * A lib never reads another lib's tables (docs/architecture.md, "Inside a lib"): its SQL names only its own tables
 * and reads the others' through their read models. This is the check dependency-cruiser cannot make, as it sees
 * imports, not SQL. The owners below are the table owners of docs/architecture.md.
 */
const OWNERS: Record<string, string[]> = {
  catalogue: ['objective', 'action', 'call', 'call_action', 'kpi_line'],
  organisations: ['local_government', 'organisations_version', 'origin_statistic', 'reference_region', 'reference_region_member'],
  identity: ['app_user', 'api_token', 'password_reset', 'login_throttle', 'sign_in_source_throttle', 'http_session'],
  audit: ['audit_event', 'security_event'],
  notifications: ['mail_outbox'],
  applicants: ['applicant', 'applicants_version', 'applicant_member', 'applicant_document', 'applicant_partner', 'partner', 'partner_action'],
  applications: ['application', 'application_action', 'application_line', 'decision_letter'],
  reporting: ['kpi_report', 'kpi_report_line', 'kpi_report_evidence', 'report_reminder'],
  allocation: ['allocation_run', 'allocation_share', 'money_proposal', 'payment', 'settlement', 'settlement_line'],
  database: ['idempotent_answer'],
  overviews: ['overview_data_change'],
};

/** The documented exceptions (docs/architecture.md): the file and the other libs' tables it may name. */
const EXCEPTIONS: Record<string, string[] | 'all'> = {
  'libs/audit/src/audit.repository.ts': ['app_user', 'local_government'],
  'libs/applications/src/review-queue.repository.ts': ['applicant', 'local_government'],
  'libs/setup/src/setup.repository.ts': 'all',
  'libs/setup/src/generator/generator.repository.ts': 'all',
};

const ROOT = join(__dirname, '..', '..', '..');
const ownerOf = new Map(Object.entries(OWNERS).flatMap(([lib, tables]) => tables.map((table) => [table, lib] as const)));
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));
const sqlTables = (source: string): string[] => [...source.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+(?:IF NOT EXISTS\s+)?([a-z_]+)\b/g)].map((m) => m[1]);

describe("a lib's SQL names only its own tables", () => {
  it('every table the migrations create has an owner', () => {
    const migrations = files(join(ROOT, 'libs/database/src/migrations')).map((file) => readFileSync(file, 'utf8'));
    const created = new Set(migrations.flatMap((source) => [...source.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)/g)].map((m) => m[1])));
    expect([...created].filter((table) => !ownerOf.has(table))).toEqual([]);
  });

  it('no lib names another lib’s table outside its read models and the documented exceptions', () => {
    const trespasses: string[] = [];
    for (const lib of readdirSync(join(ROOT, 'libs'))) {
      for (const file of files(join(ROOT, 'libs', lib, 'src'))) {
        const path = relative(ROOT, file).split('\\').join('/');
        if (!path.endsWith('.ts') || path.endsWith('.spec.ts') || path.includes('/migrations/') || path.endsWith('.read-model.ts')) continue;
        const allowed = EXCEPTIONS[path] ?? [];
        for (const table of new Set(sqlTables(readFileSync(file, 'utf8')))) {
          const owner = ownerOf.get(table);
          if (owner && owner !== lib && allowed !== 'all' && !allowed.includes(table)) trespasses.push(`${path} reads ${table} (${owner})`);
        }
      }
    }
    expect(trespasses).toEqual([]);
  });
});
