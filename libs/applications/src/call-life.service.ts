import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@ps/database';
import { AuditService } from '@ps/audit';
import { Actor } from '@ps/identity';
import { Call, CallState, CatalogueRepository } from '@ps/catalogue';
import { OrganisationReadModel } from '@ps/organisations';
import { Conflict, EURO_REFUSED, FieldErrors, NotFound, parseEuros, StaleVersion } from '@ps/kernel';
import { NEXT_STATE, nextCallColumns, publicationRefusals } from './call-life';
import { ActionAddDto, ActionChangeDto, KpiLineAddDto, ObjectiveAddDto } from './calls-administration.dto';

/**
 * The life of a call, by ABB's administrators: the next project year as a draft copy of the latest, its menu changed
 * while it is a draft, published when complete, closed. Every step is audited on the call (entity `call`, its year) and
 * raises its version; a step on a stale version is refused.
 */
@Injectable()
export class CallLifeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly catalogue: CatalogueRepository,
    private readonly organisations: OrganisationReadModel,
  ) {}

  /** Creates the next project year as a draft copy of the latest call; its year. One draft at a time. */
  createNext(actor: Actor, fromYear: number): Promise<number> {
    return inTransaction(this.dataSource, async (manager) => {
      const latest = await this.catalogue.latestCallForUpdate(manager);
      if (!latest) throw new Conflict('Er is nog geen oproep om van te vertrekken.');
      if (latest.yearNumber !== fromYear) throw new FieldErrors({ fromYear: [`Een nieuwe oproep vertrekt van de laatste: projectjaar ${latest.yearNumber}.`] });
      if (latest.state === 'draft') throw new Conflict(`${latest.nameNl} is nog een ontwerp: publiceer of wijzig die eerst.`);
      const columns = nextCallColumns(await this.catalogue.callRow(manager, latest.id));
      const id = await this.catalogue.insertCall(manager, columns);
      await this.catalogue.copyCatalogue(manager, latest.id, id);
      const created = (await this.catalogue.callById(manager, id))!;
      await this.audit.record(manager, actor, {
        entityType: 'call',
        entityId: created.yearNumber,
        action: 'created',
        before: null,
        after: { copiedFromYear: latest.yearNumber, nameNl: created.nameNl, state: created.state },
      });
      return created.yearNumber;
    });
  }

  /** Publishes a complete draft (each missing item refused under its field) or closes a published call. */
  moveTo(actor: Actor, year: number, target: CallState, version: number): Promise<void> {
    return inTransaction(this.dataSource, async (manager) => {
      const call = await this.callFor(manager, year, version);
      if (NEXT_STATE[call.state] !== target) throw new Conflict(`${call.nameNl} is ${STATE_NL[call.state]}: dat kan niet ${STEP_NL[target]} worden.`);
      if (target === 'published') {
        const refusals = publicationRefusals(call, {
          fundedActionsWithoutAmount: await this.catalogue.fundedActionsWithoutAmount(manager, call.id),
          statisticsExist: (
            await this.organisations.municipalityFacts(manager, { referenceYear: call.statisticsReferenceYear, originDefinition: call.originDefinition })
          ).some((m) => m.residents !== null),
        });
        if (Object.keys(refusals).length > 0) throw new FieldErrors(refusals);
      }
      if (!(await this.catalogue.updateCallColumns(manager, call.id, version, [['state', target]]))) throw new StaleVersion('Deze oproep');
      await this.audit.record(manager, actor, { entityType: 'call', entityId: year, action: target, before: { state: call.state }, after: { state: target } });
    });
  }

  addObjective(actor: Actor, year: number, input: ObjectiveAddDto): Promise<void> {
    return this.changeMenu(actor, year, input.version, async (manager, call) => {
      if (await this.catalogue.objective(manager, input.code)) throw new FieldErrors({ code: ['Er is al een doelstelling met deze code.'] });
      await this.catalogue.insertObjective(manager, input.code, input.nameNl, call.yearNumber);
      return { action: 'objective-added', before: null, after: { code: input.code, nameNl: input.nameNl } };
    });
  }

  addAction(actor: Actor, year: number, input: ActionAddDto): Promise<number> {
    let number = 0;
    return this.changeMenu(actor, year, input.version, async (manager, call) => {
      const objective = await this.catalogue.objective(manager, input.objectiveCode);
      if (!objective || (objective.firstYear !== null && objective.firstYear > call.yearNumber))
        throw new FieldErrors({ objectiveCode: ['Kies een doelstelling uit de lijst.'] });
      const inserted = await this.catalogue.insertAction(manager, objective.code, input.titleNl);
      if (inserted === null) throw new Conflict('Het menu telt al 99 acties.');
      number = inserted;
      await this.catalogue.insertCallAction(manager, call.id, number, input.funded ?? true, input.titleNl);
      return { action: 'action-added', before: null, after: { number, objectiveCode: objective.code, titleNl: input.titleNl, funded: input.funded ?? true } };
    }).then(() => number);
  }

  changeAction(actor: Actor, year: number, number: number, input: ActionChangeDto): Promise<void> {
    return this.changeMenu(actor, year, input.version, async (manager, call) => {
      const before = await this.catalogue.callAction(manager, call.id, number);
      if (!before) throw new NotFound();
      const after = { titleNl: input.titleNl ?? before.titleNl, funded: input.funded ?? before.funded };
      await this.catalogue.updateCallAction(manager, call.id, number, after.funded, after.titleNl);
      return { action: 'action-changed', before: { number, titleNl: before.titleNl, funded: before.funded }, after: { number, ...after } };
    });
  }

  /** Takes an action out of the draft's menu with its KPI lines; the earlier calls keep it. */
  retireAction(actor: Actor, year: number, number: number, version: number): Promise<void> {
    return this.changeMenu(actor, year, version, async (manager, call) => {
      const before = await this.catalogue.callAction(manager, call.id, number);
      if (!before) throw new NotFound();
      await this.catalogue.deleteCallAction(manager, call.id, number);
      return { action: 'action-retired', before: { number, titleNl: before.titleNl, funded: before.funded }, after: null };
    });
  }

  addKpiLine(actor: Actor, year: number, input: KpiLineAddDto): Promise<number> {
    const max = /^\d{1,7}$/.test(String(input.maxQuantity ?? '')) ? Number(input.maxQuantity) : 0;
    const cents = ['string', 'number'].includes(typeof input.unitAmountEuro) ? parseEuros(String(input.unitAmountEuro)) : null;
    const errors: Record<string, string[]> = {};
    if (max < 1) errors.maxQuantity = ['Geef een maximum: een geheel getal groter dan 0.'];
    if (cents === null) errors.unitAmountEuro = [EURO_REFUSED];
    else if (max * cents > 1_000_000_000_00) errors.unitAmountEuro = ['Maximum maal bedrag per eenheid mag hoogstens € 1.000.000.000 per KPI-lijn zijn.'];
    if (Object.keys(errors).length > 0) return Promise.reject(new FieldErrors(errors));
    let id = 0;
    return this.changeMenu(actor, year, input.version, async (manager, call) => {
      if (!(await this.catalogue.callAction(manager, call.id, input.actionNumber)))
        throw new FieldErrors({ actionNumber: ['Kies een actie uit het menu van deze oproep.'] });
      const line = { descriptionNl: input.descriptionNl, unitNl: input.unitNl, maxQuantity: max, unitAmountCents: cents! };
      const inserted = await this.catalogue.insertKpiLine(manager, call.id, input.actionNumber, line);
      id = inserted.id;
      return { action: 'kpi-line-added', before: null, after: { kpiLineId: id, actionNumber: input.actionNumber, position: inserted.position, ...line } };
    }).then(() => id);
  }

  retireKpiLine(actor: Actor, year: number, kpiLineId: number, version: number): Promise<void> {
    return this.changeMenu(actor, year, version, async (manager, call) => {
      const line = await this.catalogue.kpiLine(manager, call.id, kpiLineId);
      if (!line) throw new NotFound();
      await this.catalogue.deleteKpiLine(manager, kpiLineId);
      const { actionNumber, position, descriptionNl, unitNl, maxQuantity, unitAmountCents } = line;
      return { action: 'kpi-line-retired', before: { kpiLineId, actionNumber, position, descriptionNl, unitNl, maxQuantity, unitAmountCents }, after: null };
    });
  }

  /** The call of a year for a change by ABB (drafts included): not found, or stale for an old version. */
  private async callFor(manager: EntityManager, year: number, version: number): Promise<Call> {
    const call = await this.catalogue.callByYear(manager, year, true);
    if (!call) throw new NotFound();
    if (call.version !== version) throw new StaleVersion('Deze oproep');
    return call;
  }

  /** A change of a draft's menu: only in a draft, under the version read; raises the catalogue version, audited. */
  private changeMenu(
    actor: Actor,
    year: number,
    version: number,
    change: (manager: EntityManager, call: Call) => Promise<{ action: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }>,
  ): Promise<void> {
    return inTransaction(this.dataSource, async (manager) => {
      const call = await this.callFor(manager, year, version);
      if (call.state !== 'draft') throw new Conflict(`Het menu van ${call.nameNl} ligt vast: het wijzigt enkel in een ontwerpoproep.`);
      const catalogueVersion = await this.catalogue.bumpCatalogueVersion(manager, call.id, version);
      if (catalogueVersion === null) throw new StaleVersion('Deze oproep');
      const { action, before, after } = await change(manager, call);
      await this.audit.record(manager, actor, { entityType: 'call', entityId: year, action, before, after: after && { ...after, catalogueVersion } });
    });
  }
}

const STATE_NL: Record<CallState, string> = { draft: 'een ontwerp', published: 'gepubliceerd', closed: 'afgesloten' };
const STEP_NL: Record<CallState, string> = { draft: 'weer een ontwerp', published: 'gepubliceerd', closed: 'afgesloten' };
