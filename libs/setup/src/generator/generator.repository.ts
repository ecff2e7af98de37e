import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Batch, rowCount, SourceCall, SourceKpiLine, SourceLocalGovernment, SYNTHETIC_ID_BASE, SyntheticLocalGovernment, TableName, TABLES } from './plan';

/** The tables the generator fills (and --force empties), children before parents for the counts. */
export const GENERATED_TABLES: TableName[] = [
  'applicant',
  'applicant_member',
  'application',
  'application_action',
  'application_line',
  'kpi_report',
  'kpi_report_line',
];

/**
 * What --force empties: every table that holds applicants, applications and what follows from them (reports,
 * reminders, allocation runs, payments, settlements, decision letters). TRUNCATE: the schema owner's privilege. The
 * applicants themselves are deleted (partner refers to applicant, and the assortment of partners stays).
 */
const CLEARED_TABLES = [
  'kpi_report_evidence',
  'kpi_report_line',
  'kpi_report',
  'report_reminder',
  'decision_letter',
  'settlement',
  'settlement_line',
  'payment',
  'money_proposal',
  'allocation_share',
  'allocation_run',
  'application_line',
  'application_action',
  'application',
  'applicant_partner',
  'applicant_document',
  'applicant_member',
];

/** The rows every fingerprint covers: the generated tables and the synthetic local governments, in key order. */
const FINGERPRINTED: [table: string, where: string, order: string][] = [
  ['local_government', `id >= ${SYNTHETIC_ID_BASE}`, 'id'],
  ['reference_region_member', `local_government_id >= ${SYNTHETIC_ID_BASE}`, 'local_government_id'],
  ['origin_statistic', `local_government_id >= ${SYNTHETIC_ID_BASE}`, 'local_government_id, reference_year, origin_definition'],
  ['applicant', 'true', 'id'],
  ['applicant_member', 'true', 'applicant_id, local_government_id'],
  ['application', 'true', 'id'],
  ['application_action', 'true', 'application_id, action_number'],
  ['application_line', 'true', 'application_id, kpi_line_id'],
  ['kpi_report', 'true', 'id'],
  ['kpi_report_line', 'true', 'report_id, kpi_line_id'],
];

/**
 * The data generator's SQL. Like the demo loader (setup.repository.ts) it writes across areas on purpose: it fills a
 * fresh database with synthetic data in bulk, far too much to go row by row through the owners' services.
 */
@Injectable()
export class GeneratorRepository {
  /** What is in the way of a fresh run: applicants, applications and synthetic local governments. */
  async existing(manager: EntityManager): Promise<{ applicants: number; applications: number; synthetic: number }> {
    const [row] = await manager.query(
      `SELECT (SELECT count(*) FROM applicant) AS applicants, (SELECT count(*) FROM application) AS applications,
              (SELECT count(*) FROM local_government WHERE id >= ${SYNTHETIC_ID_BASE}) AS synthetic`,
    );
    return { applicants: Number(row.applicants), applications: Number(row.applications), synthetic: Number(row.synthetic) };
  }

  /** Removes applicants, applications and all that follows, and the synthetic local governments; as the schema owner. */
  async clear(manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM partner WHERE applicant_id IS NOT NULL`);
    await manager.query(`TRUNCATE ${CLEARED_TABLES.join(', ')} RESTART IDENTITY`);
    await manager.query(`DELETE FROM applicant`);
    await manager.query(`SELECT setval(pg_get_serial_sequence('applicant', 'id'), 1, false)`);
    for (const table of ['origin_statistic', 'reference_region_member']) {
      await manager.query(`DELETE FROM ${table} WHERE local_government_id >= ${SYNTHETIC_ID_BASE}`);
    }
    await manager.query(`DELETE FROM local_government WHERE id >= ${SYNTHETIC_ID_BASE}`);
  }

  /** The local governments of 2020 (years 1 to 3 are before the mergers of 2025: docs/calls.md, municipal mergers). */
  async localGovernments(manager: EntityManager): Promise<SourceLocalGovernment[]> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT lg.id, lg.nis_code, lg.kind, lg.name_nl, lg.arrondissement_nl, lg.province_nl, lg.inhabitants_2020, lg.facility_municipality,
              m.reference_region_id
         FROM local_government lg LEFT JOIN reference_region_member m ON m.local_government_id = lg.id
        WHERE lg.id < ${SYNTHETIC_ID_BASE} AND lg.valid_from IS NULL ORDER BY lg.id`,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      nisCode: (r.nis_code as string | null) ?? null,
      kind: r.kind as SourceLocalGovernment['kind'],
      nameNl: String(r.name_nl),
      arrondissementNl: (r.arrondissement_nl as string | null) ?? null,
      provinceNl: (r.province_nl as string | null) ?? null,
      inhabitants: r.inhabitants_2020 === null ? null : Number(r.inhabitants_2020),
      facility: Boolean(r.facility_municipality),
      regionId: r.reference_region_id === null ? null : Number(r.reference_region_id),
    }));
  }

  /** The calls in year order, with the KPI lines of their funded actions. */
  async calls(manager: EntityManager): Promise<SourceCall[]> {
    const calls: Record<string, unknown>[] = await manager.query(
      `SELECT id, year_number, catalogue_version, cooperation_stimulus_cents, interim_threshold_percent,
              (extract(epoch FROM submission_opens_at) * 1000)::bigint AS opens_at, (extract(epoch FROM submission_closes_at) * 1000)::bigint AS closes_at,
              to_char(decision_date, 'YYYY-MM-DD') AS decision_date,
              (extract(epoch FROM interim_report_due_at) * 1000)::bigint AS interim_due_at, (extract(epoch FROM final_report_due_at) * 1000)::bigint AS final_due_at
         FROM call ORDER BY year_number`,
    );
    const lines: Record<string, unknown>[] = await manager.query(
      `SELECT kl.id, kl.call_id, kl.action_number, kl.max_quantity, kl.unit_amount_cents
         FROM kpi_line kl JOIN call_action ca ON ca.call_id = kl.call_id AND ca.action_number = kl.action_number
        WHERE ca.funded ORDER BY kl.id`,
    );
    const ms = (value: unknown) => (value === null ? null : Number(value));
    return calls.map((c) => ({
      id: Number(c.id),
      yearNumber: Number(c.year_number),
      catalogueVersion: Number(c.catalogue_version),
      opensAt: Number(c.opens_at),
      closesAt: Number(c.closes_at),
      decisionDate: (c.decision_date as string | null) ?? null,
      interimDueAt: ms(c.interim_due_at),
      finalDueAt: ms(c.final_due_at),
      interimThresholdPercent: Number(c.interim_threshold_percent),
      cooperationStimulusCents: Number(c.cooperation_stimulus_cents),
      kpiLines: lines
        .filter((l) => Number(l.call_id) === Number(c.id))
        .map((l): SourceKpiLine => ({
          id: Number(l.id),
          actionNumber: Number(l.action_number),
          maxQuantity: Number(l.max_quantity),
          unitAmountCents: Number(l.unit_amount_cents),
        })),
    }));
  }

  /** Synthetic local governments with their reference region, and their template's statistics (marked fictional). */
  async insertSynthetic(manager: EntityManager, rows: readonly SyntheticLocalGovernment[]): Promise<void> {
    if (rows.length === 0) return;
    const column = <K extends keyof SyntheticLocalGovernment>(key: K) => rows.map((row) => row[key]);
    await manager.query(
      `INSERT INTO local_government (id, nis_code, kind, name_nl, arrondissement_nl, province_nl, inhabitants_2020, facility_municipality)
       SELECT id, nis, 'municipality', name, arrondissement, province, inhabitants, false
         FROM unnest($1::integer[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::integer[]) AS t(id, nis, name, arrondissement, province, inhabitants)`,
      [column('id'), column('nisCode'), column('nameNl'), column('arrondissementNl'), column('provinceNl'), column('inhabitants')],
    );
    const withRegion = rows.filter((row) => row.regionId !== null);
    await manager.query(`INSERT INTO reference_region_member (local_government_id, reference_region_id) SELECT * FROM unnest($1::integer[], $2::integer[])`, [
      withRegion.map((row) => row.id),
      withRegion.map((row) => row.regionId),
    ]);
    await manager.query(
      `INSERT INTO origin_statistic (local_government_id, reference_year, origin_definition, residents, fictional)
       SELECT t.id, s.reference_year, s.origin_definition, s.residents, true
         FROM unnest($1::integer[], $2::integer[]) AS t(id, template_id) JOIN origin_statistic s ON s.local_government_id = t.template_id`,
      [column('id'), column('templateId')],
    );
  }

  /** One batch, table by table, each as one INSERT … SELECT FROM unnest of its columns. */
  async insertBatch(manager: EntityManager, batch: Batch): Promise<void> {
    for (const table of Object.keys(TABLES) as TableName[]) {
      if (rowCount(batch, table) === 0) continue;
      const columns = TABLES[table];
      const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
      await manager.query(`INSERT INTO ${table} (${columns.map(([name]) => name).join(', ')}) SELECT * FROM unnest(${arrays})`, batch[table]);
    }
  }

  /** Lets the sequences go on after the ids the generator chose; as the schema owner. */
  async advanceSequences(manager: EntityManager): Promise<void> {
    for (const table of ['applicant', 'application', 'kpi_report']) {
      await manager.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST((SELECT max(id) FROM ${table}), 1))`);
    }
  }

  async counts(manager: EntityManager): Promise<Record<string, number>> {
    const [row] = await manager.query(`SELECT ${GENERATED_TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`);
    return Object.fromEntries(GENERATED_TABLES.map((t) => [t, Number(row[t])]));
  }

  /** An MD5 over the MD5 of every row, table by table in key order: equal data, equal fingerprint. */
  async fingerprint(manager: EntityManager): Promise<string> {
    const parts = FINGERPRINTED.map(
      ([table, where, order]) => `coalesce((SELECT md5(string_agg(md5(t::text), '' ORDER BY ${order})) FROM ${table} t WHERE ${where}), '-')`,
    );
    const [row] = await manager.query(`SELECT md5(${parts.join(` || `)}) AS fingerprint`);
    return row.fingerprint;
  }
}
