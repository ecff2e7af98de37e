import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { hasLetterFor } from './documents.repository';

/** What the applications lib (and the capabilities after it) know of one applicant. */
export interface ApplicantFacts {
  id: number;
  callId: number;
  nameNl: string;
  kind: string;
  leadLocalGovernmentId: number;
  carriedOverFromId: number | null;
  /** The payout account ABB confirmed at approval: payments use this one, never the pending one. */
  confirmedPayoutIban: string | null;
}

/**
 * What other libs may know of applicants, members and partners: read-only queries on the
 * applicants lib's tables. Methods take the caller's manager, so they run inside its transaction.
 */
@Injectable()
export class ApplicantReadModel {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The applicants asked for, in name order (unknown ids are left out). */
  async facts(manager: EntityManager, ids: number[]): Promise<ApplicantFacts[]> {
    if (ids.length === 0) return [];
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT id, call_id, name_nl, kind, lead_local_government_id, carried_over_from_id, confirmed_payout_iban FROM applicant WHERE id = ANY($1::integer[]) ORDER BY name_nl, id`,
      [ids],
    );
    return rows.map((r) => ({
      id: r.id as number,
      callId: r.call_id as number,
      nameNl: r.name_nl as string,
      kind: r.kind as string,
      leadLocalGovernmentId: r.lead_local_government_id as number,
      carriedOverFromId: (r.carried_over_from_id as number | null) ?? null,
      confirmedPayoutIban: (r.confirmed_payout_iban as string | null) ?? null,
    }));
  }

  async one(manager: EntityManager, id: number): Promise<ApplicantFacts | null> {
    return (await this.facts(manager, [id]))[0] ?? null;
  }

  /** Every local government on the applicant, invited ones included (they may read what they were invited to), or only confirmed members. */
  async memberLocalGovernmentIds(manager: EntityManager, applicantId: number, only: 'members' | 'all' = 'all'): Promise<number[]> {
    const rows: { local_government_id: number }[] = await manager.query(
      `SELECT local_government_id FROM applicant_member WHERE applicant_id = $1 AND ($2::text IS NULL OR state = $2::text) ORDER BY local_government_id`,
      [applicantId, only === 'members' ? 'member' : null],
    );
    return rows.map((r) => r.local_government_id);
  }

  /** Every local government on the applicant with its state ('member', 'invited', …), in one read. */
  async membersWithState(manager: EntityManager, applicantId: number): Promise<{ localGovernmentId: number; state: string }[]> {
    const rows: { local_government_id: number; state: string }[] = await manager.query(
      `SELECT local_government_id, state FROM applicant_member WHERE applicant_id = $1 ORDER BY local_government_id`,
      [applicantId],
    );
    return rows.map((r) => ({ localGovernmentId: r.local_government_id, state: r.state }));
  }

  /** The applicants of a call that a local government leads. */
  async ledBy(manager: EntityManager, localGovernmentId: number, callId: number): Promise<number[]> {
    const rows: { id: number }[] = await manager.query(`SELECT id FROM applicant WHERE lead_local_government_id = $1 AND call_id = $2`, [
      localGovernmentId,
      callId,
    ]);
    return rows.map((r) => r.id);
  }

  /** The applicants a local government is a confirmed member of. */
  async withMember(manager: EntityManager, localGovernmentId: number): Promise<number[]> {
    const rows: { applicant_id: number }[] = await manager.query(
      `SELECT applicant_id FROM applicant_member WHERE local_government_id = $1 AND state = 'member'`,
      [localGovernmentId],
    );
    return rows.map((r) => r.applicant_id);
  }

  /** Whether a signed confirmation letter is on file for the applicant's current payout account. */
  hasPayoutLetter(manager: EntityManager, applicantId: number): Promise<boolean> {
    return hasLetterFor(manager, applicantId);
  }
}
