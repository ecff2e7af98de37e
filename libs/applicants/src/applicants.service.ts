import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { inTransaction } from '@ps/database';
import { AuditService } from '@ps/audit';
import { Actor, scopeOf } from '@ps/identity';
import { checkedVersion, FieldErrors, NotFound, StaleVersion, normaliseIban, normalisePhone } from '@ps/kernel';
import { ApplicantKind } from './applicant.entities';
import { ContactDto, RegisterApplicantDto } from './dto';
import { assessEligibility, Candidate, EligibilitySettings, EligibilityVerdict } from './eligibility';
import { CoverageFilter, CoverageRow, coverageOverview } from './eligibility-overview';

export interface ApplicantSummary {
  id: number;
  nameNl: string;
  kind: ApplicantKind;
  leadNameNl: string;
  memberCount: number;
}

/** Invited: proposed by another local government's officer, not yet confirmed by its own officer (or ABB); it binds nothing. */
export type MemberState = 'invited' | 'member';

export interface ApplicantMemberView {
  localGovernmentId: number;
  state: MemberState;
  nisCode: string | null;
  nameNl: string;
  lead: boolean;
  residents: number | null;
  regionNameNl: string | null;
}

export interface ApplicantDetail {
  id: number;
  nameNl: string;
  kind: ApplicantKind;
  callId: number;
  callYear: number;
  callNameNl: string;
  leadLocalGovernmentId: number;
  carriedOverFromId: number | null;
  version: number;
  members: ApplicantMemberView[];
  contact: { name: string | null; email: string | null; phone: string | null; iban: string | null };
  /** Whether the payout account differs from (or is not) the usual account of the lead, so a signed letter is needed. */
  ibanLetterRequired: boolean;
  /** The account confirmed at approval (or when ABB confirmed a change): the only one payments use. */
  confirmedPayoutIban: string | null;
  /** ABB changed the account after approval; it needs a new letter and ABB's confirmation before payments use it. */
  payoutChangePending: boolean;
  /** Counts confirmed members only. */
  eligibility: EligibilityVerdict;
}

export interface Invitation {
  applicantId: number;
  applicantNameNl: string;
  callNameNl: string;
  leadNameNl: string;
  localGovernmentId: number;
  localGovernmentNameNl: string;
}

/**
 * Whether an applicant's application is submitted and not reopened, asked inside a change's transaction.
 * Provided by the applications module, so that applicants never read the applications tables.
 */
export interface ApplicantLock {
  /** The status of the applicant's application while it is out of the applicant's hands (in Dutch), or null. */
  lockedStatus(manager: EntityManager, applicantId: number): Promise<{ status: string; labelNl: string } | null>;
}
export const APPLICANT_LOCK = Symbol('APPLICANT_LOCK');

export interface NewApplicant {
  callId: number;
  kind: ApplicantKind;
  nameNl: string;
  leadLocalGovernmentId: number;
  memberLocalGovernmentIds: number[];
}

const DEFAULT_NAMES: Record<ApplicantKind, (lead: string) => string> = {
  alone: (lead) => lead,
  cooperation: (lead) => `Samenwerkingsverband ${lead} e.a.`,
  vgc: () => 'Vlaamse Gemeenschapscommissie',
  'de-rand': () => 'vzw De Rand en de faciliteitengemeenten',
};

@Injectable()
export class ApplicantsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly audit: AuditService, private readonly moduleRef: ModuleRef) {}

  /** The applicants of a call; only those the local government takes part in when one is given. */
  async listForCall(callId: number, onlyForLocalGovernmentId?: number): Promise<ApplicantSummary[]> {
    const rows = await this.dataSource.query(
      `SELECT a.id, a.name_nl, a.kind, lead.name_nl AS lead_name_nl, count(m.local_government_id) AS member_count
         FROM applicant a
         JOIN local_government lead ON lead.id = a.lead_local_government_id
         LEFT JOIN applicant_member m ON m.applicant_id = a.id AND m.state = 'member'
        WHERE a.call_id = $1
          AND ($2::integer IS NULL OR EXISTS (SELECT 1 FROM applicant_member own WHERE own.applicant_id = a.id AND own.local_government_id = $2 AND own.state = 'member'))
        GROUP BY a.id, lead.name_nl
        ORDER BY a.name_nl`,
      [callId, onlyForLocalGovernmentId ?? null],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as number, nameNl: r.name_nl as string, kind: r.kind as ApplicantKind, leadNameNl: r.lead_name_nl as string, memberCount: Number(r.member_count),
    }));
  }

  /** The local governments taking part in an applicant (whose officers may see it), or null if there is none. Invitees are not among them. */
  async memberLocalGovernmentIds(applicantId: number): Promise<number[] | null> {
    const rows: { local_government_id: number | null }[] = await this.dataSource.query(
      `SELECT m.local_government_id FROM applicant a LEFT JOIN applicant_member m ON m.applicant_id = a.id AND m.state = 'member' WHERE a.id = $1`,
      [applicantId],
    );
    return rows.length === 0 ? null : rows.flatMap((row) => (row.local_government_id === null ? [] : [row.local_government_id]));
  }

  /** The applicant, read with the given manager (pass a transaction's manager when inside one). */
  get(applicantId: number, manager: EntityManager = this.dataSource.manager): Promise<ApplicantDetail | null> {
    return this.detail(manager, applicantId);
  }

  /**
   * Registers an applicant for a call: refused with the engine's reasons unless eligible as proposed; 409 when a member is taken.
   * Other local governments than the officer's own are invited, not bound; ABB registers members directly.
   */
  register(actor: Actor, input: RegisterApplicantDto, ownLocalGovernmentOnly: boolean): Promise<ApplicantDetail> {
    return inTransaction(this.dataSource, async (manager) => {
      if (ownLocalGovernmentOnly && input.leadLocalGovernmentId !== actor.localGovernmentId) {
        throw new ForbiddenException({ statusCode: 403, message: 'U kan enkel een aanvraag registreren met uw eigen lokaal bestuur als trekker.' });
      }
      const call = await callByYear(manager, input.year);
      const memberIds = [...new Set([input.leadLocalGovernmentId, ...input.memberLocalGovernmentIds])];
      const carriedOver = await this.checkCarryOver(manager, call, input);
      const candidates = await loadCandidates(manager, call, memberIds, null);
      const lead = candidates.find((c) => c.id === input.leadLocalGovernmentId);
      if (!lead || candidates.length !== memberIds.length) throw new FieldErrors({ memberLocalGovernmentIds: ['Kies lokale besturen uit de lijst.'] });
      // Only the members the earlier cooperation already had keep the carry-over exemption; newcomers are checked.
      const kept = new Set<number>(carriedOver === null ? [] : (await manager.query(`SELECT local_government_id FROM applicant_member WHERE applicant_id = $1 AND state = 'member'`, [carriedOver])).map((r: { local_government_id: number }) => r.local_government_id));
      refuseTaken(candidates.filter((c) => !kept.has(c.id)));
      const verdict = assessEligibility({ kind: input.kind, lead, members: candidates, carriedOver: carriedOver !== null }, call.settings);
      refuseUnlessEligible(verdict, candidates, true);

      const [{ id }] = await manager.query(
        `INSERT INTO applicant (call_id, kind, name_nl, lead_local_government_id, carried_over_from_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [call.id, input.kind, input.nameNl ?? DEFAULT_NAMES[input.kind](lead.nameNl), lead.id, carriedOver],
      ).catch(conflictOnDuplicate);
      for (const memberId of memberIds) await insertMember(manager, id, call.id, memberId, kept.has(memberId), stateFor(actor, memberId));
      const detail = (await this.detail(manager, id))!;
      await this.audit.record(manager, actor, { entityType: 'applicant', entityId: id, action: 'registered', after: snapshot(detail), ownerLocalGovernmentIds: detail.members.filter((m) => m.state === 'member').map((m) => m.localGovernmentId) });
      return detail;
    });
  }

  /** Invites a local government (ABB adds it directly): 409 naming the cooperation it is already in; 422 across regions. */
  addMember(actor: Actor, applicantId: number, localGovernmentId: number, version: number): Promise<ApplicantDetail> {
    return this.change(actor, applicantId, version, stateFor(actor, localGovernmentId) === 'member' ? 'member-added' : 'member-invited', async (manager, before) => {
      await this.refuseWhenLocked(manager, applicantId);
      if (before.members.some((m) => m.localGovernmentId === localGovernmentId)) throw new FieldErrors({ localGovernmentId: ['Dit lokaal bestuur neemt al deel.'] });
      if (before.kind !== 'cooperation' && before.kind !== 'de-rand') throw new FieldErrors({ localGovernmentId: ['Enkel een samenwerkingsverband of vzw De Rand heeft meerdere deelnemers.'] });
      const call = await callById(manager, before.callId);
      const ids = [...before.members.map((m) => m.localGovernmentId), localGovernmentId];
      const candidates = await loadCandidates(manager, call, ids, applicantId);
      const newcomer = candidates.find((c) => c.id === localGovernmentId);
      if (!newcomer) throw new FieldErrors({ localGovernmentId: ['Kies een lokaal bestuur uit de lijst.'] });
      // The newcomer is checked as a new member even when the cooperation was carried over.
      refuseTaken([newcomer]);
      const verdict = assessEligibility({ kind: before.kind, lead: candidates.find((c) => c.id === before.leadLocalGovernmentId)!, members: candidates, carriedOver: true }, call.settings);
      if (!verdict.eligible) refuseUnlessEligible(verdict, candidates, true);
      await insertMember(manager, applicantId, call.id, localGovernmentId, false, stateFor(actor, localGovernmentId));
    });
  }

  removeMember(actor: Actor, applicantId: number, localGovernmentId: number, version: number): Promise<ApplicantDetail> {
    return this.change(actor, applicantId, version, 'member-removed', async (manager, before) => {
      await this.refuseWhenLocked(manager, applicantId);
      if (localGovernmentId === before.leadLocalGovernmentId) throw new FieldErrors({ localGovernmentId: ['De trekker kan niet uit de aanvraag worden verwijderd.'] });
      const [removed] = await manager.query(`DELETE FROM applicant_member WHERE applicant_id = $1 AND local_government_id = $2 RETURNING 1`, [applicantId, localGovernmentId]);
      if (!removed || removed.length === 0) throw new FieldErrors({ localGovernmentId: ['Dit lokaal bestuur neemt niet deel.'] });
    });
  }

  updateContact(actor: Actor, applicantId: number, input: ContactDto): Promise<ApplicantDetail> {
    const phone = normalisePhone(input.contactPhone);
    const iban = normaliseIban(input.payoutIban);
    const errors: Record<string, string[]> = {};
    if (!phone) errors.contactPhone = ['Vul een geldig telefoonnummer in, zoals 09 266 55 00 of +32 470 12 34 56.'];
    if (!iban) errors.payoutIban = ['Dit IBAN klopt niet: controleer het land, de lengte en de controlecijfers.'];
    if (Object.keys(errors).length > 0) return Promise.reject(new FieldErrors(errors));
    return this.change(actor, applicantId, input.version, 'contact-updated', async (manager, before) => {
      if (iban !== before.contact.iban) await this.refuseAccountChangeWhenLocked(manager, actor, applicantId);
      await manager.query(`UPDATE applicant SET contact_name = $2, contact_email = $3, contact_phone = $4, payout_iban = $5 WHERE id = $1`, [
        applicantId, input.contactName, input.contactEmail, phone, iban,
      ]);
    });
  }

  /** The open invitations of one local government, or of all when none is given (ABB). */
  async invitations(onlyForLocalGovernmentId?: number): Promise<Invitation[]> {
    const rows = await this.dataSource.query(
      `SELECT a.id, a.name_nl, c.name_nl AS call_name_nl, lead.name_nl AS lead_name_nl, lg.id AS lg_id, lg.name_nl AS lg_name_nl
         FROM applicant_member m JOIN applicant a ON a.id = m.applicant_id JOIN call c ON c.id = a.call_id
         JOIN local_government lead ON lead.id = a.lead_local_government_id JOIN local_government lg ON lg.id = m.local_government_id
        WHERE m.state = 'invited' AND ($1::integer IS NULL OR m.local_government_id = $1)
        ORDER BY c.year_number DESC, a.name_nl, lg.name_nl`,
      [onlyForLocalGovernmentId ?? null],
    );
    return rows.map((r: Record<string, unknown>) => ({
      applicantId: r.id as number, applicantNameNl: r.name_nl as string, callNameNl: r.call_name_nl as string, leadNameNl: r.lead_name_nl as string,
      localGovernmentId: r.lg_id as number, localGovernmentNameNl: r.lg_name_nl as string,
    }));
  }

  /** An officer of the invited local government (or ABB) accepts: from now on it is a member, and taken for this call. */
  acceptInvitation(actor: Actor, applicantId: number, localGovernmentId: number): Promise<ApplicantDetail> {
    return this.change(actor, applicantId, null, 'invitation-accepted', async (manager, before) => {
      this.refuseUnlessInvitee(actor, before, localGovernmentId);
      await this.refuseWhenLocked(manager, applicantId);
      const call = await callById(manager, before.callId);
      refuseTaken(await loadCandidates(manager, call, [localGovernmentId], applicantId));
      await manager
        .query(`UPDATE applicant_member SET state = 'member' WHERE applicant_id = $1 AND local_government_id = $2`, [applicantId, localGovernmentId])
        .catch(conflictOnDuplicate);
    });
  }

  /** An officer of the invited local government (or ABB) declines: the invitation is gone. Consent can always be refused. */
  declineInvitation(actor: Actor, applicantId: number, localGovernmentId: number): Promise<ApplicantDetail> {
    return this.change(actor, applicantId, null, 'invitation-declined', async (manager, before) => {
      this.refuseUnlessInvitee(actor, before, localGovernmentId);
      await manager.query(`DELETE FROM applicant_member WHERE applicant_id = $1 AND local_government_id = $2 AND state = 'invited'`, [applicantId, localGovernmentId]);
    });
  }

  /** ABB confirms an account changed after approval, once its signed letter is there; from then on payments use it. */
  confirmPayoutChange(actor: Actor, applicantId: number, version: number): Promise<ApplicantDetail> {
    return this.change(actor, applicantId, version, 'payout-account-confirmed', async (manager, before) => {
      if (!before.payoutChangePending) throw new FieldErrors({ payoutIban: ['Er is geen gewijzigd rekeningnummer om te bevestigen.'] });
      if (!(await hasLetterFor(manager, applicantId))) throw new FieldErrors({ payoutIban: ['Voeg eerst de ondertekende bevestigingsbrief voor het nieuwe rekeningnummer toe.'] });
      if (await changedPayoutOrLetter(manager, applicantId, actor)) {
        throw new ForbiddenException({ statusCode: 403, message: 'Wie het rekeningnummer wijzigde of de brief toevoegde, bevestigt het niet zelf: een tweede medewerker van ABB bevestigt.' });
      }
      await this.confirmPayoutAccountAtApproval(manager, applicantId);
    });
  }

  /** At approval, the account as submitted becomes the confirmed one (inside the approval's transaction). */
  async confirmPayoutAccountAtApproval(manager: EntityManager, applicantId: number): Promise<void> {
    await manager.query(`UPDATE applicant SET confirmed_payout_iban = payout_iban WHERE id = $1`, [applicantId]);
  }

  /** A new confirmation letter is refused once the application is submitted, unless it is for an account change ABB allowed after approval. */
  async refuseLetterWhenLocked(manager: EntityManager, applicantId: number): Promise<void> {
    const [row] = await manager.query(`SELECT confirmed_payout_iban IS NOT NULL AND payout_iban IS DISTINCT FROM confirmed_payout_iban AS pending FROM applicant WHERE id = $1`, [applicantId]);
    if (!row?.pending) await this.refuseWhenLocked(manager, applicantId);
  }

  private refuseUnlessInvitee(actor: Actor, applicant: ApplicantDetail, localGovernmentId: number) {
    const invited = applicant.members.some((m) => m.localGovernmentId === localGovernmentId && m.state === 'invited');
    // An invitation for someone else looks like no invitation at all.
    if (!invited || !(isAbb(actor) || actor.localGovernmentId === localGovernmentId)) throw new NotFound();
  }

  /** Members, lead, payout account and letter are frozen from submission until ABB reopens or returns the application. */
  private async refuseWhenLocked(manager: EntityManager, applicantId: number): Promise<void> {
    const locked = await this.lock().lockedStatus(manager, applicantId);
    if (locked) throw frozen(locked.labelNl);
  }

  /** After approval ABB may change the account: it stays pending until a new letter is there and ABB confirms it. */
  private async refuseAccountChangeWhenLocked(manager: EntityManager, actor: Actor, applicantId: number): Promise<void> {
    const locked = await this.lock().lockedStatus(manager, applicantId);
    if (!locked || (locked.status === 'goedgekeurd' && isAbb(actor))) return;
    throw frozen(locked.labelNl, locked.status === 'goedgekeurd' ? ' Na goedkeuring wijzigt enkel ABB het rekeningnummer, met een nieuwe bevestigingsbrief.' : '');
  }

  private lock(): ApplicantLock {
    return this.moduleRef.get<ApplicantLock>(APPLICANT_LOCK, { strict: false });
  }

  /** Runs one change of an applicant under its version (409 when stale; null: whatever the version), then audits before → after. */
  private change(actor: Actor, applicantId: number, version: number | null, action: string, apply: (manager: EntityManager, before: ApplicantDetail) => Promise<void>): Promise<ApplicantDetail> {
    return inTransaction(this.dataSource, async (manager) => {
      const [bumped] = await manager.query(`UPDATE applicant SET version = version + 1 WHERE id = $1 AND ($2::integer IS NULL OR version = $2) RETURNING id`, [applicantId, version === null ? null : checkedVersion(version)]);
      if (bumped.length === 0) {
        if (!(await this.detail(manager, applicantId))) throw new NotFound();
        throw new StaleVersion('Deze projectindiener');
      }
      const before = (await this.detail(manager, applicantId))!;
      await apply(manager, before);
      const after = (await this.detail(manager, applicantId))!;
      const owners = [...new Set([...before.members, ...after.members].filter((m) => m.state === 'member').map((m) => m.localGovernmentId))];
      await this.audit.record(manager, actor, { entityType: 'applicant', entityId: applicantId, action, before: snapshot(before), after: snapshot(after), ownerLocalGovernmentIds: owners });
      return after;
    });
  }

  private async checkCarryOver(manager: EntityManager, call: CallSettings, input: RegisterApplicantDto): Promise<number | null> {
    if (input.carriedOverFromId === undefined) {
      if (call.onlyExistingApplicants) throw new FieldErrors({ carriedOverFromId: [`In ${call.nameNl} dienen enkel projectindieners van het vorige projectjaar in; nieuwe lokale besturen sluiten bij hen aan.`] });
      return null;
    }
    const [earlier] = await manager.query(
      `SELECT a.id FROM applicant a JOIN call c ON c.id = a.call_id WHERE a.id = $1 AND c.year_number < $2 AND a.lead_local_government_id = $3`,
      [input.carriedOverFromId, call.yearNumber, input.leadLocalGovernmentId],
    );
    if (!earlier) throw new FieldErrors({ carriedOverFromId: ['Kies een aanvraag van een vorig projectjaar met dezelfde trekker.'] });
    return earlier.id;
  }

  private async detail(manager: EntityManager, applicantId: number): Promise<ApplicantDetail | null> {
    const [a] = await manager.query(
      `SELECT a.*, c.name_nl AS call_name_nl, c.year_number, lg.usual_iban FROM applicant a JOIN call c ON c.id = a.call_id
         JOIN local_government lg ON lg.id = a.lead_local_government_id WHERE a.id = $1`,
      [applicantId],
    );
    if (!a) return null;
    const call = await callById(manager, a.call_id);
    const ids: { local_government_id: number; state: MemberState }[] = await manager.query(`SELECT local_government_id, state FROM applicant_member WHERE applicant_id = $1`, [applicantId]);
    const states = new Map(ids.map((row) => [row.local_government_id, row.state]));
    const candidates = await loadCandidates(manager, call, ids.map((row) => row.local_government_id), applicantId);
    const nisCodes = new Map<number, string | null>(
      (await manager.query(`SELECT id, nis_code FROM local_government WHERE id = ANY($1::integer[])`, [ids.map((row) => row.local_government_id)])).map((r: { id: number; nis_code: string | null }) => [r.id, r.nis_code]),
    );
    const lead = candidates.find((c) => c.id === a.lead_local_government_id)!;
    const members = candidates
      .map((c) => ({ localGovernmentId: c.id, state: states.get(c.id)!, nisCode: nisCodes.get(c.id) ?? null, nameNl: c.nameNl, lead: c.id === lead.id, residents: c.residents, regionNameNl: c.regionNameNl }))
      .sort((x, y) => Number(y.lead) - Number(x.lead) || x.nameNl.localeCompare(y.nameNl, 'nl'));
    return {
      id: a.id, nameNl: a.name_nl, kind: a.kind, callId: a.call_id, callYear: a.year_number, callNameNl: a.call_name_nl,
      leadLocalGovernmentId: a.lead_local_government_id, carriedOverFromId: a.carried_over_from_id, version: a.version, members,
      contact: { name: a.contact_name, email: a.contact_email, phone: a.contact_phone, iban: a.payout_iban },
      ibanLetterRequired: a.payout_iban !== null && a.payout_iban !== a.usual_iban,
      confirmedPayoutIban: a.confirmed_payout_iban,
      payoutChangePending: a.confirmed_payout_iban !== null && a.payout_iban !== a.confirmed_payout_iban,
      eligibility: assessEligibility({ kind: a.kind, lead, members: candidates.filter((c) => states.get(c.id) === 'member'), carriedOver: a.carried_over_from_id !== null }, call.settings),
    };
  }

  async coverage(year: number, filter: CoverageFilter): Promise<{ call: CallSettings; rows: CoverageRow[] }> {
    const call = await callByYear(this.dataSource.manager, year);
    return { call, rows: await coverageOverview(this.dataSource.manager, call, filter) };
  }

  async regions(): Promise<{ id: number; nameNl: string }[]> {
    return (await this.dataSource.query(`SELECT id, name_nl FROM reference_region ORDER BY name_nl`)).map((r: { id: number; name_nl: string }) => ({ id: r.id, nameNl: r.name_nl }));
  }

  /** Demo data: registers the applicant unless its lead already leads one in that call. */
  async createIfMissing(manager: EntityManager, applicant: NewApplicant): Promise<boolean> {
    const inserted: { id: number }[] = await manager.query(
      `INSERT INTO applicant (call_id, kind, name_nl, lead_local_government_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (call_id, lead_local_government_id) DO NOTHING RETURNING id`,
      [applicant.callId, applicant.kind, applicant.nameNl, applicant.leadLocalGovernmentId],
    );
    if (inserted.length === 0) return false;
    for (const id of new Set([applicant.leadLocalGovernmentId, ...applicant.memberLocalGovernmentIds])) await insertMember(manager, inserted[0].id, applicant.callId, id, false, 'member');
    return true;
  }
}

export interface CallSettings {
  id: number;
  yearNumber: number;
  nameNl: string;
  onlyExistingApplicants: boolean;
  settings: EligibilitySettings;
}

async function callWhere(manager: EntityManager, where: string, value: number): Promise<CallSettings> {
  const [call] = await manager.query(
    `SELECT id, year_number, name_nl, only_existing_applicants, eligibility_threshold, origin_definition, statistics_reference_year FROM call WHERE ${where} = $1`,
    [value],
  );
  if (!call) throw new FieldErrors({ year: ['Dit projectjaar bestaat niet.'] });
  return {
    id: call.id, yearNumber: call.year_number, nameNl: call.name_nl, onlyExistingApplicants: call.only_existing_applicants,
    settings: { threshold: call.eligibility_threshold, originDefinition: call.origin_definition, referenceYear: call.statistics_reference_year },
  };
}

export const callByYear = (manager: EntityManager, year: number) => callWhere(manager, 'year_number', year);
const callById = (manager: EntityManager, id: number) => callWhere(manager, 'id', id);

/** The facts the eligibility engine needs about local governments, in a call, leaving out one applicant's own membership. */
export async function loadCandidates(manager: EntityManager, call: CallSettings, ids: number[], exceptApplicantId: number | null): Promise<Candidate[]> {
  const rows = await manager.query(
    `SELECT lg.id, lg.name_nl, lg.kind, lg.facility_municipality, s.residents, r.id AS region_id, r.name_nl AS region_name_nl,
            coalesce(json_agg(json_build_object('nameNl', a.name_nl, 'carriedOver', m.carried_over)) FILTER (WHERE a.id IS NOT NULL), '[]') AS other
       FROM local_government lg
       LEFT JOIN origin_statistic s ON s.local_government_id = lg.id AND s.reference_year = $2 AND s.origin_definition = $3
       LEFT JOIN reference_region_member rm ON rm.local_government_id = lg.id
       LEFT JOIN reference_region r ON r.id = rm.reference_region_id
       LEFT JOIN applicant_member m ON m.local_government_id = lg.id AND m.call_id = $4 AND m.applicant_id <> coalesce($5::integer, -1) AND m.state = 'member'
       LEFT JOIN applicant a ON a.id = m.applicant_id
      WHERE lg.id = ANY($1::integer[])
      GROUP BY lg.id, s.residents, r.id
      ORDER BY lg.id`,
    [ids, call.settings.referenceYear, call.settings.originDefinition, call.id, exceptApplicantId],
  );
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number, nameNl: r.name_nl as string, kind: r.kind as Candidate['kind'], facilityMunicipality: r.facility_municipality as boolean,
    residents: r.residents === null ? null : Number(r.residents), regionId: (r.region_id as number | null) ?? null, regionNameNl: (r.region_name_nl as string | null) ?? null,
    otherApplicants: (typeof r.other === 'string' ? JSON.parse(r.other) : r.other) as Candidate['otherApplicants'],
  }));
}

/** 409 naming the cooperation a member already takes part in. */
function refuseTaken(candidates: Candidate[]) {
  for (const candidate of candidates) {
    const [other] = candidate.otherApplicants;
    if (other) {
      const message = `${candidate.nameNl} neemt in dit projectjaar al deel aan "${other.nameNl}".`;
      throw new ConflictException({ statusCode: 409, message, cooperation: other.nameNl, errors: { localGovernmentId: [message] } });
    }
  }
}

function refuseUnlessEligible(verdict: EligibilityVerdict, candidates: Candidate[], carriedOver: boolean) {
  if (!carriedOver) refuseTaken(candidates);
  if (!verdict.eligible) throw new FieldErrors({ memberLocalGovernmentIds: verdict.reasons });
}

async function insertMember(manager: EntityManager, applicantId: number, callId: number, localGovernmentId: number, carriedOver: boolean, state: MemberState) {
  await manager
    .query(`INSERT INTO applicant_member (applicant_id, call_id, local_government_id, carried_over, state) VALUES ($1, $2, $3, $4, $5)`, [applicantId, callId, localGovernmentId, carriedOver, state])
    .catch(conflictOnDuplicate);
}

const isAbb = (actor: Actor) => scopeOf(actor.role, 'applicants:edit') === 'all';

/** A local government joins only with consent: its own officer, or ABB, binds it directly; anyone else invites it. */
function stateFor(actor: Actor, localGovernmentId: number): MemberState {
  return isAbb(actor) || actor.localGovernmentId === localGovernmentId ? 'member' : 'invited';
}

function frozen(statusNl: string, extra = ''): ConflictException {
  const message = `De aanvraag is ingediend (status "${statusNl}"): deelnemers, trekker, rekeningnummer en bevestigingsbrief liggen vast tot ABB de aanvraag heropent of terugstuurt.${extra}`;
  return new ConflictException({ statusCode: 409, message, errors: { applicant: [message] } });
}

/** Whether a confirmation letter for the current payout account was uploaded. */
/** Four eyes on money: whether this person changed the pending account or uploaded its letter. */
async function changedPayoutOrLetter(manager: EntityManager, applicantId: number, actor: Actor): Promise<boolean> {
  if (actor.userId === null) return false;
  const [row] = await manager.query(
    `SELECT EXISTS (SELECT 1 FROM applicant_document d JOIN applicant a ON a.id = d.applicant_id
                     WHERE d.applicant_id = $1 AND d.kind = 'iban-confirmation' AND d.iban = a.payout_iban AND d.uploaded_by = $2)
         OR EXISTS (SELECT 1 FROM audit_event e WHERE e.entity_type = 'applicant' AND e.entity_id = $1::text AND e.action = 'contact-updated'
                     AND e.actor_user_id = $2 AND e.after->'contact'->>'iban' IS DISTINCT FROM e.before->'contact'->>'iban') AS changed`,
    [applicantId, actor.userId],
  );
  return !!row?.changed;
}

export async function hasLetterFor(manager: EntityManager, applicantId: number): Promise<boolean> {
  const [letter] = await manager.query(
    `SELECT 1 FROM applicant_document d JOIN applicant a ON a.id = d.applicant_id WHERE d.applicant_id = $1 AND d.kind = 'iban-confirmation' AND d.iban = a.payout_iban`,
    [applicantId],
  );
  return !!letter;
}

/** A unique index caught a race the checks could not see: another registration won. */
function conflictOnDuplicate(error: unknown): never {
  if (error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === '23505') {
    throw new ConflictException({ statusCode: 409, message: 'Een van deze lokale besturen is intussen al geregistreerd in dit projectjaar.' });
  }
  throw error;
}

function snapshot(detail: ApplicantDetail) {
  return {
    nameNl: detail.nameNl, kind: detail.kind, members: detail.members.map((m) => (m.state === 'invited' ? `${m.nameNl} (uitgenodigd)` : m.nameNl)),
    contact: detail.contact, confirmedPayoutIban: detail.confirmedPayoutIban, eligible: detail.eligibility.eligible,
  };
}
