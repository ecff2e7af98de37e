import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { inTransaction } from '@ps/database';
import { AuditService } from '@ps/audit';
import { Action, CatalogueRepository } from '@ps/catalogue';
import { Actor } from '@ps/identity';
import { Conflict, FieldErrors, normaliseKbo, normalisePhone, NotFound } from '@ps/kernel';
import { ApplicantsRepository } from './applicants.repository';
import { PartnerDto } from './dto';
import { Partner, PartnerLink, PartnersRepository } from './partners.repository';

export type { Partner, PartnerLink } from './partners.repository';

/** The civil-society assortment per action (managed by ABB) and the partners applicants add and link to their actions. */
@Injectable()
export class PartnersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly partners: PartnersRepository,
    private readonly applicants: ApplicantsRepository,
    private readonly catalogue: CatalogueRepository,
  ) {}

  async assortment(): Promise<Partner[]> {
    return this.partners.assortment(this.dataSource.manager);
  }

  createAssortmentPartner(actor: Actor, input: PartnerDto): Promise<Partner> {
    return inTransaction(this.dataSource, async (manager) => {
      // The assortment serves every call: an action of any call's menu.
      const known = new Set((await manager.findBy(Action, { number: In(input.actionNumbers) })).map((action) => action.number));
      const unknown = [...new Set(input.actionNumbers)].filter((number) => !known.has(number));
      if (unknown.length > 0) throw new FieldErrors({ actionNumbers: unknown.map((number) => `Actie ${number} bestaat niet; kies een actie uit de lijst.`) });
      const partner = await this.insertPartner(manager, input, null);
      await this.audit.record(manager, actor, { entityType: 'partner', entityId: partner.id, action: 'created', after: partner });
      return partner;
    });
  }

  /** The applicant's own partners and every partner linked to one of its actions. */
  linksOf(applicantId: number): Promise<PartnerLink[]> {
    return this.partners.linksOf(this.dataSource.manager, applicantId);
  }

  /** Adds a partner of the applicant's own choice, linked to the actions it supports. */
  addOwnPartner(actor: Actor, applicantId: number, owners: number[], input: PartnerDto): Promise<Partner> {
    if (input.actionNumbers.length === 0) return Promise.reject(new FieldErrors({ actionNumbers: ['Kies minstens één actie die deze partner ondersteunt.'] }));
    return inTransaction(this.dataSource, async (manager) => {
      const outside = await this.notInMenu(manager, applicantId, input.actionNumbers);
      if (outside.length > 0) throw new FieldErrors({ actionNumbers: outside });
      const partner = await this.insertPartner(manager, input, applicantId);
      for (const action of partner.actionNumbers) await this.partners.link(manager, applicantId, partner.id, action);
      await this.audit.record(manager, actor, {
        entityType: 'applicant',
        entityId: applicantId,
        action: 'partner-added',
        after: partner,
        ownerLocalGovernmentIds: owners,
      });
      return partner;
    });
  }

  /** Links an assortment partner (offered on that action) or one of the applicant's own partners to an action. */
  link(actor: Actor, applicantId: number, owners: number[], partnerId: number, actionNumber: number): Promise<void> {
    return inTransaction(this.dataSource, async (manager) => {
      const outside = await this.notInMenu(manager, applicantId, [actionNumber]);
      if (outside.length > 0) throw new FieldErrors({ actionNumber: outside });
      const partner = await this.partners.linkableName(manager, applicantId, partnerId, actionNumber);
      if (partner === null) throw new FieldErrors({ partnerId: ['Deze partner ondersteunt die actie niet; kies een partner uit het aanbod van de actie.'] });
      if (!(await this.partners.link(manager, applicantId, partnerId, actionNumber)))
        throw new Conflict(`${partner} is al gekoppeld aan actie ${actionNumber}.`);
      await this.audit.record(manager, actor, {
        entityType: 'applicant',
        entityId: applicantId,
        action: 'partner-linked',
        after: { partner, actionNumber },
        ownerLocalGovernmentIds: owners,
      });
    });
  }

  /** Removes the link; an own partner left without actions is removed with it. */
  unlink(actor: Actor, applicantId: number, owners: number[], partnerId: number, actionNumber: number): Promise<void> {
    return inTransaction(this.dataSource, async (manager) => {
      const removed = await this.partners.unlink(manager, applicantId, partnerId, actionNumber);
      if (removed === null) throw new NotFound();
      await this.partners.deleteOwnIfUnlinked(manager, applicantId, partnerId);
      await this.audit.record(manager, actor, {
        entityType: 'applicant',
        entityId: applicantId,
        action: 'partner-unlinked',
        before: { partner: removed, actionNumber },
        ownerLocalGovernmentIds: owners,
      });
    });
  }

  /** AgII supports every applicant: a free partner on every action. Loaded when missing. */
  async ensureAgii(manager: EntityManager): Promise<void> {
    if (await this.partners.assortmentHasName(manager, AGII.name)) return;
    await this.insertPartner(manager, AGII, null);
  }

  /** A Dutch refusal per action that is not in the menu of the applicant's call (each call has its own, docs/calls.md). */
  private async notInMenu(manager: EntityManager, applicantId: number, actionNumbers: number[]): Promise<string[]> {
    const applicant = await this.applicants.find(manager, applicantId);
    if (!applicant) throw new NotFound();
    const outside: string[] = [];
    for (const number of new Set(actionNumbers))
      if (!(await this.catalogue.callAction(manager, applicant.callId, number)))
        outside.push(`Actie ${number} staat niet in het menu van dit projectjaar; kies een actie uit de lijst.`);
    return outside;
  }

  private async insertPartner(manager: EntityManager, input: PartnerDto, applicantId: number | null): Promise<Partner> {
    const errors: Record<string, string[]> = {};
    const kbo = input.kboNumber === undefined ? null : normaliseKbo(input.kboNumber);
    if (input.kboNumber !== undefined && !kbo) errors.kboNumber = ['Dit KBO-nummer klopt niet: 10 cijfers met een geldig controlegetal, zoals 0207.437.468.'];
    const phone = input.contactPhone === undefined ? null : normalisePhone(input.contactPhone);
    if (input.contactPhone !== undefined && !phone) errors.contactPhone = ['Vul een geldig telefoonnummer in, zoals 09 266 55 00.'];
    if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
    if (kbo && applicantId === null) {
      const taken = await this.partners.assortmentNameByKbo(manager, kbo);
      if (taken !== null) {
        const message = `${taken} staat al met dit KBO-nummer in het aanbod.`;
        throw new Conflict(message, { kboNumber: [message] });
      }
    }
    const id = await this.partners.insert(
      manager,
      {
        name: input.name,
        kboNumber: kbo,
        offer: input.offer,
        contactName: input.contactName ?? null,
        contactEmail: input.contactEmail ?? null,
        contactPhone: phone,
        description: input.description ?? null,
        applicantId,
      },
      [...new Set(input.actionNumbers)],
    );
    return (await this.partners.find(manager, id))!;
  }
}

const AGII: PartnerDto = {
  name: 'Agentschap Integratie en Inburgering (AgII)',
  offer: 'free',
  description: 'Ondersteunt elke projectindiener inhoudelijk bij alle acties van Plan Samenleven.',
  actionNumbers: Array.from({ length: 24 }, (_, i) => i + 1),
};
