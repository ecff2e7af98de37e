import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@ps/database';
import { AuditService } from '@ps/audit';
import { Actor } from '@ps/identity';
import { FieldErrors, NotFound, normaliseKbo, normalisePhone } from '@ps/kernel';
import { PartnerDto } from './dto';

export interface Partner {
  id: number;
  name: string;
  kboNumber: string | null;
  offer: 'free' | 'paid';
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  description: string | null;
  /** Null for the assortment offered by ABB; the applicant's id for a partner it added itself. */
  applicantId: number | null;
  actionNumbers: number[];
}

export interface PartnerLink {
  partnerId: number;
  partnerName: string;
  offer: 'free' | 'paid';
  own: boolean;
  actionNumber: number;
}

const SELECT_PARTNERS = `SELECT p.*, coalesce(array_agg(pa.action_number ORDER BY pa.action_number) FILTER (WHERE pa.action_number IS NOT NULL), '{}') AS action_numbers
  FROM partner p LEFT JOIN partner_action pa ON pa.partner_id = p.id`;

/** The civil-society assortment per action (managed by ABB) and the partners applicants add and link to their actions. */
@Injectable()
export class PartnersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly audit: AuditService) {}

  async assortment(): Promise<Partner[]> {
    return (await this.dataSource.query(`${SELECT_PARTNERS} WHERE p.applicant_id IS NULL GROUP BY p.id ORDER BY p.name`)).map(toPartner);
  }

  createAssortmentPartner(actor: Actor, input: PartnerDto): Promise<Partner> {
    return inTransaction(this.dataSource, async (manager) => {
      const partner = await insertPartner(manager, input, null);
      await this.audit.record(manager, actor, { entityType: 'partner', entityId: partner.id, action: 'created', after: partner });
      return partner;
    });
  }

  /** The applicant's own partners and every partner linked to one of its actions. */
  async linksOf(applicantId: number): Promise<PartnerLink[]> {
    const rows = await this.dataSource.query(
      `SELECT p.id, p.name, p.offer, p.applicant_id IS NOT NULL AS own, ap.action_number
         FROM applicant_partner ap JOIN partner p ON p.id = ap.partner_id WHERE ap.applicant_id = $1 ORDER BY ap.action_number, p.name`,
      [applicantId],
    );
    return rows.map((r: Record<string, unknown>) => ({ partnerId: r.id as number, partnerName: r.name as string, offer: r.offer as 'free' | 'paid', own: r.own as boolean, actionNumber: r.action_number as number }));
  }

  /** Adds a partner of the applicant's own choice, linked to the actions it supports. */
  addOwnPartner(actor: Actor, applicantId: number, owners: number[], input: PartnerDto): Promise<Partner> {
    if (input.actionNumbers.length === 0) return Promise.reject(new FieldErrors({ actionNumbers: ['Kies minstens één actie die deze partner ondersteunt.'] }));
    return inTransaction(this.dataSource, async (manager) => {
      const partner = await insertPartner(manager, input, applicantId);
      for (const action of partner.actionNumbers) {
        await manager.query(`INSERT INTO applicant_partner (applicant_id, partner_id, action_number) VALUES ($1, $2, $3)`, [applicantId, partner.id, action]);
      }
      await this.audit.record(manager, actor, { entityType: 'applicant', entityId: applicantId, action: 'partner-added', after: partner, ownerLocalGovernmentIds: owners });
      return partner;
    });
  }

  /** Links an assortment partner (offered on that action) or one of the applicant's own partners to an action. */
  link(actor: Actor, applicantId: number, owners: number[], partnerId: number, actionNumber: number): Promise<void> {
    return inTransaction(this.dataSource, async (manager) => {
      const [partner] = await manager.query(
        `SELECT p.name FROM partner p JOIN partner_action pa ON pa.partner_id = p.id AND pa.action_number = $3
          WHERE p.id = $2 AND (p.applicant_id IS NULL OR p.applicant_id = $1)`,
        [applicantId, partnerId, actionNumber],
      );
      if (!partner) throw new FieldErrors({ partnerId: ['Deze partner ondersteunt die actie niet; kies een partner uit het aanbod van de actie.'] });
      const [inserted] = await manager.query(
        `INSERT INTO applicant_partner (applicant_id, partner_id, action_number) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
        [applicantId, partnerId, actionNumber],
      );
      if (!inserted) throw new ConflictException({ statusCode: 409, message: `${partner.name} is al gekoppeld aan actie ${actionNumber}.` });
      await this.audit.record(manager, actor, { entityType: 'applicant', entityId: applicantId, action: 'partner-linked', after: { partner: partner.name, actionNumber }, ownerLocalGovernmentIds: owners });
    });
  }

  /** Removes the link; an own partner left without actions is removed with it. */
  unlink(actor: Actor, applicantId: number, owners: number[], partnerId: number, actionNumber: number): Promise<void> {
    return inTransaction(this.dataSource, async (manager) => {
      const [removed] = await manager.query(
        `DELETE FROM applicant_partner ap USING partner p WHERE p.id = ap.partner_id AND ap.applicant_id = $1 AND ap.partner_id = $2 AND ap.action_number = $3 RETURNING p.name`,
        [applicantId, partnerId, actionNumber],
      );
      if (removed.length === 0) throw new NotFound();
      await manager.query(
        `DELETE FROM partner p WHERE p.id = $1 AND p.applicant_id = $2 AND NOT EXISTS (SELECT 1 FROM applicant_partner ap WHERE ap.partner_id = p.id)`,
        [partnerId, applicantId],
      );
      await this.audit.record(manager, actor, { entityType: 'applicant', entityId: applicantId, action: 'partner-unlinked', before: { partner: removed[0].name, actionNumber }, ownerLocalGovernmentIds: owners });
    });
  }

  /** AgII supports every applicant: a free partner on every action. Loaded when missing. */
  async ensureAgii(manager: EntityManager): Promise<void> {
    const [existing] = await manager.query(`SELECT id FROM partner WHERE applicant_id IS NULL AND name = $1`, [AGII.name]);
    if (existing) return;
    await insertPartner(manager, AGII, null);
  }
}

const AGII: PartnerDto = {
  name: 'Agentschap Integratie en Inburgering (AgII)',
  offer: 'free',
  description: 'Ondersteunt elke projectindiener inhoudelijk bij alle acties van Plan Samenleven.',
  actionNumbers: Array.from({ length: 24 }, (_, i) => i + 1),
};

async function insertPartner(manager: EntityManager, input: PartnerDto, applicantId: number | null): Promise<Partner> {
  const errors: Record<string, string[]> = {};
  const kbo = input.kboNumber === undefined ? null : normaliseKbo(input.kboNumber);
  if (input.kboNumber !== undefined && !kbo) errors.kboNumber = ['Dit KBO-nummer klopt niet: 10 cijfers met een geldig controlegetal, zoals 0207.437.468.'];
  const phone = input.contactPhone === undefined ? null : normalisePhone(input.contactPhone);
  if (input.contactPhone !== undefined && !phone) errors.contactPhone = ['Vul een geldig telefoonnummer in, zoals 09 266 55 00.'];
  if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
  if (kbo && applicantId === null) {
    const [taken] = await manager.query(`SELECT name FROM partner WHERE kbo_number = $1 AND applicant_id IS NULL`, [kbo]);
    if (taken) throw new ConflictException({ statusCode: 409, message: `${taken.name} staat al met dit KBO-nummer in het aanbod.`, errors: { kboNumber: [`${taken.name} staat al met dit KBO-nummer in het aanbod.`] } });
  }
  const [row] = await manager.query(
    `INSERT INTO partner (name, kbo_number, offer, contact_name, contact_email, contact_phone, description, applicant_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [input.name, kbo, input.offer, input.contactName ?? null, input.contactEmail ?? null, phone, input.description ?? null, applicantId],
  );
  const actions = [...new Set(input.actionNumbers)];
  for (const action of actions) await manager.query(`INSERT INTO partner_action (partner_id, action_number) VALUES ($1, $2)`, [row.id, action]);
  return toPartner((await manager.query(`${SELECT_PARTNERS} WHERE p.id = $1 GROUP BY p.id`, [row.id]))[0]);
}

function toPartner(r: Record<string, unknown>): Partner {
  const actions = r.action_numbers as number[] | string;
  return {
    id: r.id as number, name: r.name as string, kboNumber: (r.kbo_number as string | null) ?? null, offer: r.offer as 'free' | 'paid',
    contactName: (r.contact_name as string | null) ?? null, contactEmail: (r.contact_email as string | null) ?? null, contactPhone: (r.contact_phone as string | null) ?? null,
    description: (r.description as string | null) ?? null, applicantId: (r.applicant_id as number | null) ?? null,
    actionNumbers: (typeof actions === 'string' ? actions.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number) : actions).map(Number),
  };
}
