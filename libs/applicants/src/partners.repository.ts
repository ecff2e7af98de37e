import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

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

export interface PartnerInsert {
  name: string;
  kboNumber: string | null;
  offer: 'free' | 'paid';
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  description: string | null;
  applicantId: number | null;
}

const SELECT_PARTNERS = `SELECT p.*, coalesce(array_agg(pa.action_number ORDER BY pa.action_number) FILTER (WHERE pa.action_number IS NOT NULL), '{}') AS action_numbers
  FROM partner p LEFT JOIN partner_action pa ON pa.partner_id = p.id`;

/** All SQL on partner, partner_action and applicant_partner. */
@Injectable()
export class PartnersRepository {
  /** ABB's assortment, by name. */
  async assortment(manager: EntityManager): Promise<Partner[]> {
    return (await manager.query(`${SELECT_PARTNERS} WHERE p.applicant_id IS NULL GROUP BY p.id ORDER BY p.name`)).map(toPartner);
  }

  async find(manager: EntityManager, partnerId: number): Promise<Partner | null> {
    const [row] = await manager.query(`${SELECT_PARTNERS} WHERE p.id = $1 GROUP BY p.id`, [partnerId]);
    return row ? toPartner(row) : null;
  }

  /** The name of the assortment partner with this KBO number, or null. */
  async assortmentNameByKbo(manager: EntityManager, kboNumber: string): Promise<string | null> {
    const [taken] = await manager.query(`SELECT name FROM partner WHERE kbo_number = $1 AND applicant_id IS NULL`, [kboNumber]);
    return taken ? (taken.name as string) : null;
  }

  async assortmentHasName(manager: EntityManager, name: string): Promise<boolean> {
    const [existing] = await manager.query(`SELECT id FROM partner WHERE applicant_id IS NULL AND name = $1`, [name]);
    return !!existing;
  }

  /** Inserts the partner with the actions it supports; its id. */
  async insert(manager: EntityManager, partner: PartnerInsert, actionNumbers: number[]): Promise<number> {
    const [row] = await manager.query(
      `INSERT INTO partner (name, kbo_number, offer, contact_name, contact_email, contact_phone, description, applicant_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        partner.name,
        partner.kboNumber,
        partner.offer,
        partner.contactName,
        partner.contactEmail,
        partner.contactPhone,
        partner.description,
        partner.applicantId,
      ],
    );
    for (const action of actionNumbers) await manager.query(`INSERT INTO partner_action (partner_id, action_number) VALUES ($1, $2)`, [row.id, action]);
    return row.id;
  }

  /** The applicant's own partners and every partner linked to one of its actions. */
  async linksOf(manager: EntityManager, applicantId: number): Promise<PartnerLink[]> {
    const rows = await manager.query(
      `SELECT p.id, p.name, p.offer, p.applicant_id IS NOT NULL AS own, ap.action_number
         FROM applicant_partner ap JOIN partner p ON p.id = ap.partner_id WHERE ap.applicant_id = $1 ORDER BY ap.action_number, p.name`,
      [applicantId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      partnerId: r.id as number,
      partnerName: r.name as string,
      offer: r.offer as 'free' | 'paid',
      own: r.own as boolean,
      actionNumber: r.action_number as number,
    }));
  }

  /** The name of the partner when the applicant may link it to the action (an assortment partner or its own, offered on that action), else null. */
  async linkableName(manager: EntityManager, applicantId: number, partnerId: number, actionNumber: number): Promise<string | null> {
    const [partner] = await manager.query(
      `SELECT p.name FROM partner p JOIN partner_action pa ON pa.partner_id = p.id AND pa.action_number = $3
        WHERE p.id = $2 AND (p.applicant_id IS NULL OR p.applicant_id = $1)`,
      [applicantId, partnerId, actionNumber],
    );
    return partner ? (partner.name as string) : null;
  }

  /** Links the partner to the applicant's action; false when it was linked already. */
  async link(manager: EntityManager, applicantId: number, partnerId: number, actionNumber: number): Promise<boolean> {
    const [inserted] = await manager.query(
      `INSERT INTO applicant_partner (applicant_id, partner_id, action_number) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
      [applicantId, partnerId, actionNumber],
    );
    return !!inserted;
  }

  /** Removes the link; the partner's name, or null when there was no such link. */
  async unlink(manager: EntityManager, applicantId: number, partnerId: number, actionNumber: number): Promise<string | null> {
    const [removed] = await manager.query(
      `DELETE FROM applicant_partner ap USING partner p WHERE p.id = ap.partner_id AND ap.applicant_id = $1 AND ap.partner_id = $2 AND ap.action_number = $3 RETURNING p.name`,
      [applicantId, partnerId, actionNumber],
    );
    return removed.length === 0 ? null : (removed[0].name as string);
  }

  /** Removes an own partner of the applicant that is linked to no action any more. */
  async deleteOwnIfUnlinked(manager: EntityManager, applicantId: number, partnerId: number): Promise<void> {
    await manager.query(
      `DELETE FROM partner p WHERE p.id = $1 AND p.applicant_id = $2 AND NOT EXISTS (SELECT 1 FROM applicant_partner ap WHERE ap.partner_id = p.id)`,
      [partnerId, applicantId],
    );
  }
}

function toPartner(r: Record<string, unknown>): Partner {
  const actions = r.action_numbers as number[] | string;
  return {
    id: r.id as number,
    name: r.name as string,
    kboNumber: (r.kbo_number as string | null) ?? null,
    offer: r.offer as 'free' | 'paid',
    contactName: (r.contact_name as string | null) ?? null,
    contactEmail: (r.contact_email as string | null) ?? null,
    contactPhone: (r.contact_phone as string | null) ?? null,
    description: (r.description as string | null) ?? null,
    applicantId: (r.applicant_id as number | null) ?? null,
    actionNumbers: (typeof actions === 'string' ? actions.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number) : actions).map(Number),
  };
}
