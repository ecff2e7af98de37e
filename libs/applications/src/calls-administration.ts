import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@ps/database';
import { AuditService } from '@ps/audit';
import { Actor } from '@ps/identity';
import { brusselsToInstant, eurosToCents, FieldErrors, NotFound, StaleVersion } from '@ps/kernel';

/** Call settings as an ABB administrator edits them: Brussels wall-clock times and euro amounts as typed. */
export interface CallSettingsInput {
  version: number;
  submissionOpens: string;
  submissionCloses: string;
  projectStart: string;
  projectEnd: string;
  budgetEuro: string;
  interimReportDue: string;
  finalReportDue: string;
  cooperationStimulusEuro: string;
  mentorshipStimulusEuro: string;
  impactBondStimulusEuro: string;
  eligibilityThreshold: string;
  interimThresholdPercent: string;
  reclaimRule: string;
}

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Call settings and the call's KPI catalogue, edited by ABB administrators. The catalogue is never
 * edited in place once the call has a submitted application; each edit before that raises the
 * call's catalogue version, and the audit trail keeps every version's values.
 */
@Injectable()
export class CallsAdministration {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly audit: AuditService) {}

  updateSettings(actor: Actor, year: number, input: CallSettingsInput): Promise<void> {
    const values = parseSettings(input);
    return inTransaction(this.dataSource, async (manager) => {
      const before = await callRow(manager, year);
      const [updated] = await manager.query(
        `UPDATE call SET submission_opens_at = $3, submission_closes_at = $4, project_start = $5, project_end = $6, budget_cents = $7,
           interim_report_due_at = $8, final_report_due_at = $9, cooperation_stimulus_cents = $10, mentorship_stimulus_cents = $11,
           impact_bond_stimulus_cents = $12, eligibility_threshold = $13, interim_threshold_percent = $14, reclaim_rule = $15, version = version + 1
         WHERE year_number = $1 AND version = $2 RETURNING id`,
        [year, input.version, ...values],
      );
      if (updated.length === 0) throw new StaleVersion('Deze oproep');
      await this.audit.record(manager, actor, { entityType: 'call', entityId: year, action: 'settings-updated', before, after: await callRow(manager, year) });
    });
  }

  /** Changes one KPI line's maximum and unit amount; refused with 409 once the call has submissions. */
  updateKpiLine(actor: Actor, year: number, kpiLineId: number, change: { maxQuantity: unknown; unitAmountEuro: unknown; version: number }): Promise<void> {
    const max = /^\d{1,7}$/.test(String(change.maxQuantity ?? '')) ? Number(change.maxQuantity) : null;
    let cents: number | null = null;
    try {
      cents = eurosToCents(String(change.unitAmountEuro ?? ''));
    } catch {
      cents = null;
    }
    const errors: Record<string, string[]> = {};
    if (!max) errors.maxQuantity = ['Geef een maximum: een geheel getal groter dan 0.'];
    if (cents === null || cents < 0) errors.unitAmountEuro = ['Geef een bedrag in euro, zoals 650 of 12500,50.'];
    else if (cents > MAX_UNIT_AMOUNT_CENTS) errors.unitAmountEuro = ['Het bedrag per eenheid mag hoogstens € 100.000.000 zijn.'];
    if (Object.keys(errors).length > 0) return Promise.reject(new FieldErrors(errors));
    return inTransaction(this.dataSource, async (manager) => {
      const before = await callRow(manager, year);
      const [line] = await manager.query(`SELECT id, max_quantity, unit_amount_cents FROM kpi_line WHERE id = $1 AND call_id = $2`, [kpiLineId, before.id]);
      if (!line) throw new NotFound();
      const [submitted] = await manager.query(`SELECT count(*) AS n FROM application WHERE call_id = $1 AND status <> 'concept'`, [before.id]);
      if (Number(submitted.n) > 0) {
        throw new ConflictException({ statusCode: 409, message: `De KPI-catalogus van ${before.name_nl} ligt vast: er zijn al ${submitted.n} aanvragen ingediend.` });
      }
      const [bumped] = await manager.query(`UPDATE call SET catalogue_version = catalogue_version + 1, version = version + 1 WHERE id = $1 AND version = $2 RETURNING catalogue_version`, [before.id, change.version]);
      if (bumped.length === 0) throw new StaleVersion('Deze oproep');
      await refuseOversizedLine(manager, kpiLineId, max!, cents!);
      await manager.query(`UPDATE kpi_line SET max_quantity = $2, unit_amount_cents = $3 WHERE id = $1`, [kpiLineId, max, cents]);
      // Drafts show contributions at the new amount; planned reach above a lowered maximum is left for the officer to correct.
      await manager.query(`UPDATE application_line SET contribution_cents = planned_reach * $2::bigint WHERE kpi_line_id = $1`, [kpiLineId, cents]);
      await this.audit.record(manager, actor, {
        entityType: 'kpi-line', entityId: kpiLineId, action: 'updated',
        before: { maxQuantity: line.max_quantity, unitAmountCents: Number(line.unit_amount_cents), catalogueVersion: before.catalogue_version },
        after: { maxQuantity: max, unitAmountCents: cents, catalogueVersion: bumped[0].catalogue_version },
      });
    });
  }
}

const MAX_UNIT_AMOUNT_CENTS = 100_000_000_00;
const MAX_LINE_CONTRIBUTION_CENTS = 1_000_000_000_00;

/** Keeps every line's contribution (and an application's sum of them) far inside exact integer arithmetic. */
async function refuseOversizedLine(manager: EntityManager, kpiLineId: number, max: number, cents: number): Promise<void> {
  const [{ reach }] = await manager.query(`SELECT coalesce(max(planned_reach), 0) AS reach FROM application_line WHERE kpi_line_id = $1`, [kpiLineId]);
  if (Math.max(max, Number(reach)) * cents > MAX_LINE_CONTRIBUTION_CENTS) {
    throw new FieldErrors({ unitAmountEuro: ['Maximum maal bedrag per eenheid mag hoogstens € 1.000.000.000 per KPI-lijn zijn.'] });
  }
}

/** "16.970.780,50" or "16970780,50" (Flemish) and "16970780.50" all mean the same amount. */
export function euroText(value: string): string {
  if (value.includes(',')) return value.replace(/\./g, '').replace(',', '.');
  return /^\d{1,3}(\.\d{3})+$/.test(value) ? value.replace(/\./g, '') : value;
}

async function callRow(manager: EntityManager, year: number) {
  const [call] = await manager.query(`SELECT * FROM call WHERE year_number = $1`, [year]);
  if (!call) throw new NotFound();
  return call;
}

function parseSettings(input: CallSettingsInput): unknown[] {
  const errors: Record<string, string[]> = {};
  const instant = (field: keyof CallSettingsInput, optional = false) => {
    const value = String(input[field] ?? '').trim();
    if (optional && value === '') return null;
    try {
      if (!LOCAL_TIME.test(value)) throw new RangeError(value);
      return brusselsToInstant(value);
    } catch {
      return (errors[field] = ['Geef een bestaande datum en uur als JJJJ-MM-DDTuu:mm (Brusselse tijd).']), null;
    }
  };
  const date = (field: keyof CallSettingsInput) => {
    const value = String(input[field] ?? '').trim();
    if (!DATE.test(value) || !DateTime.fromISO(value).isValid) errors[field] = ['Geef een bestaande datum als JJJJ-MM-DD.'];
    return value;
  };
  const euros = (field: keyof CallSettingsInput, optional = true) => {
    const value = String(input[field] ?? '').trim();
    if (optional && value === '') return null;
    try {
      const cents = eurosToCents(euroText(value));
      if (cents < 0) throw new RangeError('negative');
      return cents;
    } catch {
      errors[field] = ['Geef een bedrag in euro, zoals 10000 of 10.000,00.'];
      return null;
    }
  };
  const whole = (field: keyof CallSettingsInput, max: number) => {
    const value = String(input[field] ?? '').trim();
    if (!/^\d{1,7}$/.test(value) || Number(value) > max) errors[field] = [`Geef een geheel getal van 0 tot ${max}.`];
    return Number(value);
  };
  const opens = instant('submissionOpens');
  const closes = instant('submissionCloses');
  if (opens && closes && closes <= opens) errors.submissionCloses = ['De indientermijn sluit na de opening.'];
  const start = date('projectStart');
  const end = date('projectEnd');
  if (!errors.projectStart && !errors.projectEnd && end <= start) errors.projectEnd = ['De projectperiode eindigt na de start.'];
  const values = [
    opens, closes, start, end, euros('budgetEuro'), instant('interimReportDue', true), instant('finalReportDue', true),
    euros('cooperationStimulusEuro', false), euros('mentorshipStimulusEuro'), euros('impactBondStimulusEuro'),
    whole('eligibilityThreshold', 10_000_000), whole('interimThresholdPercent', 100),
    ['pro-rata', 'none'].includes(input.reclaimRule) ? input.reclaimRule : ((errors.reclaimRule = ['Kies een terugvorderingsregel uit de lijst.']), null),
  ];
  if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
  return values;
}
