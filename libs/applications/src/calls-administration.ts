import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@ps/database';
import { AuditService } from '@ps/audit';
import { Actor } from '@ps/identity';
import { Call, CatalogueRepository } from '@ps/catalogue';
import { ApplicationsRepository } from './applications.repository';
import { Conflict, EURO_REFUSED, FieldErrors, NotFound, parseEuros, StaleVersion } from '@ps/kernel';
import { callName } from './call-life';
import { CALL_SETTINGS, CallSettingKey, CallSettingsChange, crossCheck, parseSettings, sameSetting, storedSetting } from './call-settings';

/**
 * Call settings and the call's KPI catalogue, edited by ABB administrators. Settings that drive a
 * rule, and the catalogue, are never edited once the call has a submitted application; each
 * catalogue edit before that raises the call's catalogue version, and the audit trail keeps every
 * version's values.
 */
@Injectable()
export class CallsAdministration {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly catalogue: CatalogueRepository,
    private readonly applications: ApplicationsRepository,
  ) {}

  /**
   * Changes the settings given, and only those; answers which ones changed. A change that changes
   * nothing writes nothing: no new version, no audit row.
   */
  updateSettings(actor: Actor, year: number, change: CallSettingsChange): Promise<CallSettingKey[]> {
    const { values, errors } = parseSettings(change);
    const given = Object.keys(values) as CallSettingKey[];
    return inTransaction(this.dataSource, async (manager) => {
      const call = await this.catalogue.callByYear(manager, year, true);
      if (!call) throw new NotFound();
      const after = (key: CallSettingKey) => (key in values ? values[key]! : storedSetting(call, key));
      const allErrors = { ...crossCheck(after, new Set(given), year), ...errors };
      if (Object.keys(allErrors).length > 0) throw new FieldErrors(allErrors);
      if (call.version !== change.version) throw new StaleVersion('Deze oproep');
      const changed = given.filter((key) => !sameSetting(storedSetting(call, key), values[key]!));
      if (changed.length === 0) return [];
      await this.refuseFrozen(manager, call, changed);
      const columns: [string, unknown][] = changed.map((key) => [CALL_SETTINGS[key].column, values[key]]);
      // A draft's name follows its project period ("Projectjaar 4 (2027-2028)"); a published call keeps the name it was published under.
      const renamed = call.state === 'draft' ? callName(year, after('projectStart') as string, after('projectEnd') as string) : call.nameNl;
      if (renamed !== call.nameNl) columns.push(['name_nl', renamed]);
      const updated = await this.catalogue.updateCallColumns(manager, call.id, change.version, columns);
      if (!updated) throw new StaleVersion('Deze oproep');
      await this.audit.record(manager, actor, {
        entityType: 'call',
        entityId: year,
        action: 'settings-updated',
        before: { ...Object.fromEntries(changed.map((key) => [key, storedSetting(call, key)])), ...(renamed !== call.nameNl && { nameNl: call.nameNl }) },
        after: { ...Object.fromEntries(changed.map((key) => [key, values[key]])), ...(renamed !== call.nameNl && { nameNl: renamed }) },
      });
      return changed;
    });
  }

  /** How many applications of a call are submitted: from the first one on, the frozen settings and the catalogue are fixed. */
  async submittedCount(year: number): Promise<number> {
    const call = await this.catalogue.callByYear(this.dataSource.manager, year, true);
    return call ? this.applications.submittedCount(this.dataSource.manager, call.id) : 0;
  }

  /** Changes one KPI line's maximum and unit amount; refused with 409 once the call has submissions. */
  updateKpiLine(actor: Actor, year: number, kpiLineId: number, change: { maxQuantity: unknown; unitAmountEuro: unknown; version: number }): Promise<void> {
    const max = /^\d{1,7}$/.test(String(change.maxQuantity ?? '')) ? Number(change.maxQuantity) : null;
    const cents = ['string', 'number'].includes(typeof change.unitAmountEuro) ? parseEuros(String(change.unitAmountEuro)) : null;
    const errors: Record<string, string[]> = {};
    if (!max) errors.maxQuantity = ['Geef een maximum: een geheel getal groter dan 0.'];
    if (cents === null) errors.unitAmountEuro = [EURO_REFUSED];
    else if (cents > MAX_UNIT_AMOUNT_CENTS) errors.unitAmountEuro = ['Het bedrag per eenheid mag hoogstens € 100.000.000 zijn.'];
    if (Object.keys(errors).length > 0) return Promise.reject(new FieldErrors(errors));
    return inTransaction(this.dataSource, async (manager) => {
      const before = await this.catalogue.callByYear(manager, year, true);
      if (!before) throw new NotFound();
      const line = await this.catalogue.kpiLine(manager, before.id, kpiLineId);
      if (!line) throw new NotFound();
      const submitted = await this.submittedApplications(manager, before.id);
      if (submitted > 0) {
        throw new Conflict(`De KPI-catalogus van ${before.nameNl} ligt vast: er zijn al ${submitted} aanvragen ingediend.`);
      }
      const catalogueVersion = await this.catalogue.bumpCatalogueVersion(manager, before.id, change.version);
      if (catalogueVersion === null) throw new StaleVersion('Deze oproep');
      await this.refuseOversizedLine(manager, kpiLineId, max!, cents!);
      await this.catalogue.updateKpiLine(manager, kpiLineId, max!, cents!);
      // Drafts show contributions at the new amount; planned reach above a lowered maximum is left for the officer to correct.
      await this.applications.repriceLines(manager, kpiLineId, cents!);
      await this.audit.record(manager, actor, {
        entityType: 'kpi-line',
        entityId: kpiLineId,
        action: 'updated',
        before: { maxQuantity: line.maxQuantity, unitAmountCents: line.unitAmountCents, catalogueVersion: before.catalogueVersion },
        after: { maxQuantity: max, unitAmountCents: cents, catalogueVersion },
      });
    });
  }

  /** Keeps every line's contribution (and an application's sum of them) far inside exact integer arithmetic. */
  private async refuseOversizedLine(manager: EntityManager, kpiLineId: number, max: number, cents: number): Promise<void> {
    const reach = await this.applications.largestPlannedReach(manager, kpiLineId);
    if (Math.max(max, reach) * cents > MAX_LINE_CONTRIBUTION_CENTS) {
      throw new FieldErrors({ unitAmountEuro: ['Maximum maal bedrag per eenheid mag hoogstens € 1.000.000.000 per KPI-lijn zijn.'] });
    }
  }

  /**
   * Submitted applications of a call: from the first one on, its rule-driving settings and its catalogue are fixed.
   * Locks the call's applications, so that no submission commits between this count and the change.
   */
  private async submittedApplications(manager: EntityManager, callId: number): Promise<number> {
    return (await this.applications.statusesForUpdate(manager, callId)).filter((status) => status !== 'concept').length;
  }

  private async refuseFrozen(manager: EntityManager, call: Call, changed: CallSettingKey[]): Promise<void> {
    const frozen = changed.filter((key) => CALL_SETTINGS[key].frozen);
    if (frozen.length === 0) return;
    const submitted = await this.submittedApplications(manager, call.id);
    if (submitted === 0) return;
    const reason = `Ligt vast: er ${submitted === 1 ? 'is al 1 aanvraag' : `zijn al ${submitted} aanvragen`} ingediend in ${call.nameNl}, onder de huidige waarde.`;
    const errors = Object.fromEntries(
      frozen.map((key) => [key, [key.startsWith('submission') ? `${reason} Verleng de termijn voor één aanvrager op diens aanvraag.` : reason]]),
    );
    throw new Conflict(`Deze instellingen van ${call.nameNl} liggen vast sinds de eerste indiening: ${submitted} ingediend.`, errors);
  }
}

const MAX_UNIT_AMOUNT_CENTS = 100_000_000_00;
const MAX_LINE_CONTRIBUTION_CENTS = 1_000_000_000_00;
