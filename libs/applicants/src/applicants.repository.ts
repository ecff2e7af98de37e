import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { sqlState } from '@ps/database';
import { Conflict } from '@ps/kernel';
import { ApplicantKind, MemberState } from './applicant.entities';

/** One applicant row as stored. */
export interface ApplicantRow {
  id: number;
  callId: number;
  kind: ApplicantKind;
  nameNl: string;
  leadLocalGovernmentId: number;
  carriedOverFromId: number | null;
  version: number;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  payoutIban: string | null;
  confirmedPayoutIban: string | null;
}

export interface ApplicantInsert {
  callId: number;
  kind: ApplicantKind;
  nameNl: string;
  leadLocalGovernmentId: number;
  carriedOverFromId: number | null;
}

/** One applicant of a call's list, with its confirmed member count. */
export interface ApplicantListRow {
  id: number;
  nameNl: string;
  kind: ApplicantKind;
  leadLocalGovernmentId: number;
  memberCount: number;
}

/** An open invitation as stored; names and the call are added by the service. */
export interface InvitationRow {
  applicantId: number;
  applicantNameNl: string;
  callId: number;
  leadLocalGovernmentId: number;
  localGovernmentId: number;
}

/** All SQL on applicant and applicant_member; every method takes the manager of the caller's transaction (or the data source's). */
@Injectable()
export class ApplicantsRepository {
  async find(manager: EntityManager, applicantId: number): Promise<ApplicantRow | null> {
    const [a] = await manager.query(`SELECT * FROM applicant WHERE id = $1`, [applicantId]);
    return a ? toApplicant(a) : null;
  }

  /** Locks the applicant's row for the rest of the transaction; its version, or null when it does not exist. */
  async lockVersion(manager: EntityManager, applicantId: number): Promise<number | null> {
    const [row] = await manager.query(`SELECT version FROM applicant WHERE id = $1 FOR UPDATE`, [applicantId]);
    return row ? (row.version as number) : null;
  }

  /** The applicants of a call by name, with their confirmed member count; only those the local government is a member of when one is given. */
  async listForCall(manager: EntityManager, callId: number, onlyForLocalGovernmentId: number | null): Promise<ApplicantListRow[]> {
    return (await this.pageForCall(manager, callId, onlyForLocalGovernmentId, 0, null)).rows;
  }

  /** One page of `listForCall` (all of it when `limit` is null), cut in SQL, with the number of applicants over all pages. */
  async pageForCall(
    manager: EntityManager,
    callId: number,
    onlyForLocalGovernmentId: number | null,
    offset: number,
    limit: number | null,
  ): Promise<{ rows: ApplicantListRow[]; total: number }> {
    const where = `WHERE a.call_id = $1
          AND ($2::integer IS NULL OR EXISTS (SELECT 1 FROM applicant_member own WHERE own.applicant_id = a.id AND own.local_government_id = $2 AND own.state = 'member'))`;
    const parameters = [callId, onlyForLocalGovernmentId];
    const found = await manager.query(
      // The page first (in the order of the index applicant_call_name), then the members of its applicants only.
      `SELECT page.*, (SELECT count(*) FROM applicant_member m WHERE m.applicant_id = page.id AND m.state = 'member') AS member_count
         FROM (SELECT a.id, a.name_nl, a.kind, a.lead_local_government_id FROM applicant a ${where} ORDER BY a.name_nl, a.id LIMIT $3 OFFSET $4) page
        ORDER BY page.name_nl, page.id`,
      [...parameters, limit, offset],
    );
    const rows: ApplicantListRow[] = found.map((r: Record<string, unknown>) => ({
      id: r.id as number,
      nameNl: r.name_nl as string,
      kind: r.kind as ApplicantKind,
      leadLocalGovernmentId: r.lead_local_government_id as number,
      memberCount: Number(r.member_count),
    }));
    if (limit === null || (offset === 0 && rows.length < limit)) return { rows, total: rows.length };
    const [{ total }]: { total: string }[] = await manager.query(`SELECT count(*) AS total FROM applicant a ${where}`, parameters);
    return { rows, total: Number(total) };
  }

  /** The confirmed members of an applicant, or null when the applicant does not exist. */
  async confirmedMemberIds(manager: EntityManager, applicantId: number): Promise<number[] | null> {
    const rows: { local_government_id: number | null }[] = await manager.query(
      `SELECT m.local_government_id FROM applicant a LEFT JOIN applicant_member m ON m.applicant_id = a.id AND m.state = 'member' WHERE a.id = $1`,
      [applicantId],
    );
    return rows.length === 0 ? null : rows.flatMap((row) => (row.local_government_id === null ? [] : [row.local_government_id]));
  }

  /** Every member of an applicant, invited or confirmed. */
  async memberStates(manager: EntityManager, applicantId: number): Promise<{ localGovernmentId: number; state: MemberState }[]> {
    const rows: { local_government_id: number; state: MemberState }[] = await manager.query(
      `SELECT local_government_id, state FROM applicant_member WHERE applicant_id = $1`,
      [applicantId],
    );
    return rows.map((row) => ({ localGovernmentId: row.local_government_id, state: row.state }));
  }

  /** Per local government, the other applicants of the call it is a confirmed member of (leaving out one applicant). */
  async otherMemberships(
    manager: EntityManager,
    callId: number,
    localGovernmentIds: number[],
    exceptApplicantId: number | null,
  ): Promise<Map<number, { nameNl: string; carriedOver: boolean }[]>> {
    const rows: { local_government_id: number; name_nl: string; carried_over: boolean }[] = await manager.query(
      `SELECT m.local_government_id, a.name_nl, m.carried_over
         FROM applicant_member m JOIN applicant a ON a.id = m.applicant_id
        WHERE m.local_government_id = ANY($1::integer[]) AND m.call_id = $2 AND m.applicant_id <> coalesce($3::integer, -1) AND m.state = 'member'
        ORDER BY a.id`,
      [localGovernmentIds, callId, exceptApplicantId],
    );
    const result = new Map<number, { nameNl: string; carriedOver: boolean }[]>();
    for (const row of rows)
      result.set(row.local_government_id, [...(result.get(row.local_government_id) ?? []), { nameNl: row.name_nl, carriedOver: row.carried_over }]);
    return result;
  }

  /** Per local government, the one applicant of the call that covers it (a confirmed membership, not carried over first). */
  /** Grows with every change of an applicant's kind or name and of any membership (triggers: migration 1764860000000). */
  async version(manager: EntityManager): Promise<number> {
    const [row] = await manager.query(`SELECT version FROM applicants_version`);
    return Number(row?.version ?? 0);
  }

  async coveringApplicants(manager: EntityManager, callId: number): Promise<Map<number, { id: number; nameNl: string; kind: ApplicantKind }>> {
    const rows: { local_government_id: number; id: number; name_nl: string; kind: ApplicantKind }[] = await manager.query(
      `SELECT DISTINCT ON (m.local_government_id) m.local_government_id, a.id, a.name_nl, a.kind
         FROM applicant_member m JOIN applicant a ON a.id = m.applicant_id
        WHERE m.call_id = $1 AND m.state = 'member'
        ORDER BY m.local_government_id, m.carried_over, a.id`,
      [callId],
    );
    return new Map(rows.map((row) => [row.local_government_id, { id: row.id, nameNl: row.name_nl, kind: row.kind }]));
  }

  /** The open invitations of one local government (all when null), in applicant-name order. */
  async invitations(manager: EntityManager, onlyForLocalGovernmentId: number | null): Promise<InvitationRow[]> {
    const rows = await manager.query(
      `SELECT a.id, a.name_nl, a.call_id, a.lead_local_government_id, m.local_government_id
         FROM applicant_member m JOIN applicant a ON a.id = m.applicant_id
        WHERE m.state = 'invited' AND ($1::integer IS NULL OR m.local_government_id = $1)
        ORDER BY a.name_nl, a.id`,
      [onlyForLocalGovernmentId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      applicantId: r.id as number,
      applicantNameNl: r.name_nl as string,
      callId: r.call_id as number,
      leadLocalGovernmentId: r.lead_local_government_id as number,
      localGovernmentId: r.local_government_id as number,
    }));
  }

  /** 409 when the lead already leads an applicant in the call (a race the checks could not see). */
  async insert(manager: EntityManager, applicant: ApplicantInsert): Promise<number> {
    const [{ id }] = await manager
      .query(`INSERT INTO applicant (call_id, kind, name_nl, lead_local_government_id, carried_over_from_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
        applicant.callId,
        applicant.kind,
        applicant.nameNl,
        applicant.leadLocalGovernmentId,
        applicant.carriedOverFromId,
      ])
      .catch(conflictOnDuplicate);
    return id;
  }

  /** Demo data: inserts the applicant unless its lead already leads one in that call; its id, or null when it was there. */
  async insertIfMissing(manager: EntityManager, applicant: Omit<ApplicantInsert, 'carriedOverFromId'>): Promise<number | null> {
    const inserted: { id: number }[] = await manager.query(
      `INSERT INTO applicant (call_id, kind, name_nl, lead_local_government_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (call_id, lead_local_government_id) DO NOTHING RETURNING id`,
      [applicant.callId, applicant.kind, applicant.nameNl, applicant.leadLocalGovernmentId],
    );
    return inserted.length === 0 ? null : inserted[0].id;
  }

  /** 409 when the local government is a member of another applicant of the call meanwhile. */
  async insertMember(
    manager: EntityManager,
    applicantId: number,
    callId: number,
    localGovernmentId: number,
    carriedOver: boolean,
    state: MemberState,
  ): Promise<void> {
    await manager
      .query(`INSERT INTO applicant_member (applicant_id, call_id, local_government_id, carried_over, state) VALUES ($1, $2, $3, $4, $5)`, [
        applicantId,
        callId,
        localGovernmentId,
        carriedOver,
        state,
      ])
      .catch(conflictOnDuplicate);
  }

  /** Whether there was such a member to remove. */
  async deleteMember(manager: EntityManager, applicantId: number, localGovernmentId: number): Promise<boolean> {
    const [removed] = await manager.query(`DELETE FROM applicant_member WHERE applicant_id = $1 AND local_government_id = $2 RETURNING 1`, [
      applicantId,
      localGovernmentId,
    ]);
    return !!removed && removed.length > 0;
  }

  /** The invitee becomes a member; 409 when it is a member of another applicant of the call meanwhile. */
  async confirmMember(manager: EntityManager, applicantId: number, localGovernmentId: number): Promise<void> {
    await manager
      .query(`UPDATE applicant_member SET state = 'member' WHERE applicant_id = $1 AND local_government_id = $2`, [applicantId, localGovernmentId])
      .catch(conflictOnDuplicate);
  }

  async deleteInvitation(manager: EntityManager, applicantId: number, localGovernmentId: number): Promise<void> {
    await manager.query(`DELETE FROM applicant_member WHERE applicant_id = $1 AND local_government_id = $2 AND state = 'invited'`, [
      applicantId,
      localGovernmentId,
    ]);
  }

  /** The account as it is becomes the confirmed one (at approval; no new version). */
  async confirmPayoutAccount(manager: EntityManager, applicantId: number): Promise<void> {
    await manager.query(`UPDATE applicant SET confirmed_payout_iban = payout_iban WHERE id = $1`, [applicantId]);
  }

  /** Whether ABB changed the account after approval and it is not confirmed yet. */
  async payoutChangePending(manager: EntityManager, applicantId: number): Promise<boolean> {
    const [row] = await manager.query(
      `SELECT confirmed_payout_iban IS NOT NULL AND payout_iban IS DISTINCT FROM confirmed_payout_iban AS pending FROM applicant WHERE id = $1`,
      [applicantId],
    );
    return !!row?.pending;
  }
}

function toApplicant(a: Record<string, unknown>): ApplicantRow {
  return {
    id: a.id as number,
    callId: a.call_id as number,
    kind: a.kind as ApplicantKind,
    nameNl: a.name_nl as string,
    leadLocalGovernmentId: a.lead_local_government_id as number,
    carriedOverFromId: (a.carried_over_from_id as number | null) ?? null,
    version: a.version as number,
    contactName: (a.contact_name as string | null) ?? null,
    contactEmail: (a.contact_email as string | null) ?? null,
    contactPhone: (a.contact_phone as string | null) ?? null,
    payoutIban: (a.payout_iban as string | null) ?? null,
    confirmedPayoutIban: (a.confirmed_payout_iban as string | null) ?? null,
  };
}

/** A unique index caught a race the checks could not see: another registration won. */
function conflictOnDuplicate(error: unknown): never {
  if (sqlState(error) === '23505') {
    throw new Conflict('Een van deze lokale besturen is intussen al geregistreerd in dit projectjaar.');
  }
  throw error;
}
