import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@ps/database';
import { AuditService } from '@ps/audit';
import { Actor } from '@ps/identity';
import { Call } from '@ps/catalogue';
import { eurosToCents, FieldErrors, NotFound, StaleVersion } from '@ps/kernel';
import { CALL_SETTINGS, CallSettingKey, CallSettingsChange, crossCheck, parseSettings, sameSetting, storedSetting } from './call-settings';

/**
 * Call settings and the call's KPI catalogue, edited by ABB administrators. Settings that drive a
 * rule, and the catalogue, are never edited once the call has a submitted application; each
 * catalogue edit before that raises the call's catalogue version, and the audit trail keeps every
 * version's values.
 */
@Injectable()
export class CallsAdministration {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly audit: AuditService) {}

  /**
   * Changes the settings given, and only those; answers which ones changed. A change that changes
   * nothing writes nothing: no new version, no audit row.
   */
  updateSettings(actor: Actor, year: number, change: CallSettingsChange): Promise<CallSettingKey[]> {
    const { values, errors } = parseSettings(change);
    const given = Object.keys(values) as CallSettingKey[];
    return inTransaction(this.dataSource, async (manager) => {
      const call = await manager.findOneBy(Call, { yearNumber: year });
      if (!call) throw new NotFound();
      const after = (key: CallSettingKey) => (key in values ? values[key]! : storedSetting(call, key));
      const allErrors = { ...crossCheck(after, new Set(given)), ...errors };
      if (Object.keys(allErrors).length > 0) throw new FieldErrors(allErrors);
      if (call.version !== change.version) throw new StaleVersion('Deze oproep');
      const changed = given.filter((key) => !sameSetting(storedSetting(call, key), values[key]!));
      if (changed.length === 0) return [];
      await refuseFrozen(manager, call, changed);
      const assignments = changed.map((key, i) => `${CALL_SETTINGS[key].column} = $${i + 3}`);
      const [updated] = await manager.query(`UPDATE call SET ${assignments.join(', ')}, version = version + 1 WHERE id = $1 AND version = $2 RETURNING id`, [call.id, change.version, ...changed.map((key) => values[key])]);
      if (updated.length === 0) throw new StaleVersion('Deze oproep');
      await this.audit.record(manager, actor, {
        entityType: 'call', entityId: year, action: 'settings-updated',
        before: Object.fromEntries(changed.map((key) => [key, storedSetting(call, key)])), after: Object.fromEntries(changed.map((key) => [key, values[key]])),
      });
      return changed;
    });
  }

  /** How many applications of a call are submitted: from the first one on, the frozen settings and the catalogue are fixed. */
  async submittedCount(year: number): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*) AS n FROM application a JOIN call c ON c.id = a.call_id WHERE c.year_number = $1 AND a.status <> 'concept'`, [year]);
    return Number(row.n);
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
      const submitted = await submittedApplications(manager, before.id);
      if (submitted > 0) {
        throw new ConflictException({ statusCode: 409, message: `De KPI-catalogus van ${before.name_nl} ligt vast: er zijn al ${submitted} aanvragen ingediend.` });
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

async function callRow(manager: EntityManager, year: number) {
  const [call] = await manager.query(`SELECT * FROM call WHERE year_number = $1`, [year]);
  if (!call) throw new NotFound();
  return call;
}

/**
 * Submitted applications of a call: from the first one on, its rule-driving settings and its catalogue are fixed.
 * Locks the call's applications, so that no submission commits between this count and the change.
 */
async function submittedApplications(manager: EntityManager, callId: number): Promise<number> {
  const rows: { status: string }[] = await manager.query(`SELECT status FROM application WHERE call_id = $1 FOR UPDATE`, [callId]);
  return rows.filter((row) => row.status !== 'concept').length;
}

async function refuseFrozen(manager: EntityManager, call: Call, changed: CallSettingKey[]): Promise<void> {
  const frozen = changed.filter((key) => CALL_SETTINGS[key].frozen);
  if (frozen.length === 0) return;
  const submitted = await submittedApplications(manager, call.id);
  if (submitted === 0) return;
  const reason = `Ligt vast: er ${submitted === 1 ? 'is al 1 aanvraag' : `zijn al ${submitted} aanvragen`} ingediend in ${call.nameNl}, onder de huidige waarde.`;
  const errors = Object.fromEntries(frozen.map((key) => [key, [key.startsWith('submission') ? `${reason} Verleng de termijn voor één aanvrager op diens aanvraag.` : reason]]));
  throw new ConflictException({ statusCode: 409, message: `Deze instellingen van ${call.nameNl} liggen vast sinds de eerste indiening: ${submitted} ingediend.`, errors });
}
