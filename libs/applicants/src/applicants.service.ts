import { Inject, Injectable } from '@nestjs/common';
import { APPLICANT_LOCK, ApplicantLock } from './applicant-lock.port';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@ps/database';
import { AuditService, changeVersioned, VersionedRecord } from '@ps/audit';
import { CatalogueRepository, CatalogueService } from '@ps/catalogue';
import { Actor, scopeOf } from '@ps/identity';
import { checkedVersion, Conflict, FieldErrors, normaliseIban, normalisePhone, NotFound, NotPermitted } from '@ps/kernel';
import { OrganisationReadModel } from '@ps/organisations';
import { ApplicantKind, MemberState } from './applicant.entities';
import { ApplicantsRepository } from './applicants.repository';
import { DocumentsRepository } from './documents.repository';
import { ContactDto, RegisterApplicantDto } from './dto';
import { assessEligibility, CallSettings, Candidate, EligibilityVerdict } from './eligibility';
import { EligibilityFacts } from './eligibility-facts';
import { CoverageFilter, CoverageRow } from './eligibility-overview';

export interface ApplicantSummary {
  id: number;
  nameNl: string;
  kind: ApplicantKind;
  leadNameNl: string;
  memberCount: number;
}

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

/** Members live in applicant_member: such a change still gives the applicant a new version and an audit entry, so it names one column, unchanged. */
const membersChanged = (before: ApplicantDetail) => ({ name_nl: before.nameNl });

@Injectable()
export class ApplicantsService {
  /** How changeVersioned reads, audits and names an applicant. */
  private readonly record: VersionedRecord<ApplicantDetail> = {
    table: 'applicant',
    entityType: 'applicant',
    what: 'Deze projectindiener',
    load: (manager, id) => this.detail(manager, id),
    snapshot,
    owners: (detail) => detail.members.filter((m) => m.state === 'member').map((m) => m.localGovernmentId),
  };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(APPLICANT_LOCK) private readonly applicantLock: ApplicantLock,
    private readonly repository: ApplicantsRepository,
    private readonly documents: DocumentsRepository,
    private readonly facts: EligibilityFacts,
    private readonly organisations: OrganisationReadModel,
    private readonly catalogue: CatalogueService,
    private readonly calls: CatalogueRepository,
  ) {}

  /** The applicants of a call; only those the local government takes part in when one is given. */
  async listForCall(callId: number, onlyForLocalGovernmentId?: number): Promise<ApplicantSummary[]> {
    const manager = this.dataSource.manager;
    const rows = await this.repository.listForCall(manager, callId, onlyForLocalGovernmentId ?? null);
    const names = new Map(
      (await this.organisations.names(manager, [...new Set(rows.map((row) => row.leadLocalGovernmentId))])).map((lg) => [lg.id, lg.nameNl]),
    );
    return rows.map((row) => ({
      id: row.id,
      nameNl: row.nameNl,
      kind: row.kind,
      leadNameNl: names.get(row.leadLocalGovernmentId)!,
      memberCount: row.memberCount,
    }));
  }

  /** The local governments taking part in an applicant (whose officers may see it), or null if there is none. Invitees are not among them. */
  memberLocalGovernmentIds(applicantId: number): Promise<number[] | null> {
    return this.repository.confirmedMemberIds(this.dataSource.manager, applicantId);
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
        throw new NotPermitted('U kan enkel een aanvraag registreren met uw eigen lokaal bestuur als trekker.');
      }
      const call = await this.call(manager, { year: input.year });
      const memberIds = [...new Set([input.leadLocalGovernmentId, ...input.memberLocalGovernmentIds])];
      const carriedOver = await this.checkCarryOver(manager, call, input);
      const candidates = await this.facts.candidates(manager, call, memberIds, null);
      const lead = candidates.find((c) => c.id === input.leadLocalGovernmentId);
      if (!lead || candidates.length !== memberIds.length) throw new FieldErrors({ memberLocalGovernmentIds: ['Kies lokale besturen uit de lijst.'] });
      // Only the members the earlier cooperation already had keep the carry-over exemption; newcomers are checked.
      const kept = new Set<number>(carriedOver === null ? [] : ((await this.repository.confirmedMemberIds(manager, carriedOver)) ?? []));
      refuseTaken(candidates.filter((c) => !kept.has(c.id)));
      const verdict = assessEligibility({ kind: input.kind, lead, members: candidates, carriedOver: carriedOver !== null }, call.settings);
      refuseUnlessEligible(verdict, candidates, true);

      const id = await this.repository.insert(manager, {
        callId: call.id,
        kind: input.kind,
        nameNl: input.nameNl ?? DEFAULT_NAMES[input.kind](lead.nameNl),
        leadLocalGovernmentId: lead.id,
        carriedOverFromId: carriedOver,
      });
      for (const memberId of memberIds) await this.repository.insertMember(manager, id, call.id, memberId, kept.has(memberId), stateFor(actor, memberId));
      const detail = (await this.detail(manager, id))!;
      await this.audit.record(manager, actor, {
        entityType: 'applicant',
        entityId: id,
        action: 'registered',
        after: snapshot(detail),
        ownerLocalGovernmentIds: await this.record.owners(detail),
      });
      return detail;
    });
  }

  /** Invites a local government (ABB adds it directly): 409 naming the cooperation it is already in; 422 across regions. */
  addMember(actor: Actor, applicantId: number, localGovernmentId: number, version: number): Promise<ApplicantDetail> {
    return this.change(
      actor,
      applicantId,
      version,
      stateFor(actor, localGovernmentId) === 'member' ? 'member-added' : 'member-invited',
      async (manager, before) => {
        await this.refuseWhenLocked(manager, applicantId);
        if (before.members.some((m) => m.localGovernmentId === localGovernmentId))
          throw new FieldErrors({ localGovernmentId: ['Dit lokaal bestuur neemt al deel.'] });
        if (before.kind !== 'cooperation' && before.kind !== 'de-rand')
          throw new FieldErrors({ localGovernmentId: ['Enkel een samenwerkingsverband of vzw De Rand heeft meerdere deelnemers.'] });
        const call = await this.call(manager, { id: before.callId });
        const ids = [...before.members.map((m) => m.localGovernmentId), localGovernmentId];
        const candidates = await this.facts.candidates(manager, call, ids, applicantId);
        const newcomer = candidates.find((c) => c.id === localGovernmentId);
        if (!newcomer) throw new FieldErrors({ localGovernmentId: ['Kies een lokaal bestuur uit de lijst.'] });
        // The newcomer is checked as a new member even when the cooperation was carried over.
        refuseTaken([newcomer]);
        const verdict = assessEligibility(
          { kind: before.kind, lead: candidates.find((c) => c.id === before.leadLocalGovernmentId)!, members: candidates, carriedOver: true },
          call.settings,
        );
        if (!verdict.eligible) refuseUnlessEligible(verdict, candidates, true);
        await this.repository.insertMember(manager, applicantId, call.id, localGovernmentId, false, stateFor(actor, localGovernmentId));
        return membersChanged(before);
      },
    );
  }

  removeMember(actor: Actor, applicantId: number, localGovernmentId: number, version: number): Promise<ApplicantDetail> {
    return this.change(actor, applicantId, version, 'member-removed', async (manager, before) => {
      await this.refuseWhenLocked(manager, applicantId);
      if (localGovernmentId === before.leadLocalGovernmentId)
        throw new FieldErrors({ localGovernmentId: ['De trekker kan niet uit de aanvraag worden verwijderd.'] });
      if (!(await this.repository.deleteMember(manager, applicantId, localGovernmentId)))
        throw new FieldErrors({ localGovernmentId: ['Dit lokaal bestuur neemt niet deel.'] });
      return membersChanged(before);
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
      return { contact_name: input.contactName, contact_email: input.contactEmail, contact_phone: phone, payout_iban: iban };
    });
  }

  /** The open invitations of one local government, or of all when none is given (ABB): newest call first, then by applicant and invitee name. */
  async invitations(onlyForLocalGovernmentId?: number): Promise<Invitation[]> {
    const manager = this.dataSource.manager;
    const rows = await this.repository.invitations(manager, onlyForLocalGovernmentId ?? null);
    if (rows.length === 0) return [];
    const calls = new Map((await this.catalogue.listCalls()).map((call) => [call.id, call]));
    const names = await this.organisations.names(manager, [...new Set(rows.flatMap((row) => [row.leadLocalGovernmentId, row.localGovernmentId]))]);
    const nameOf = new Map(names.map((lg) => [lg.id, lg.nameNl]));
    // The database's name order (its collation), as the one query with joins gave it: equal names rank equal.
    const applicantRank = denseRanks(rows.map((row) => [row.applicantId, row.applicantNameNl]));
    const localGovernmentRank = denseRanks(names.map((lg) => [lg.id, lg.nameNl]));
    return rows
      .map((row, i) => ({ row, i }))
      .sort(
        (x, y) =>
          calls.get(y.row.callId)!.yearNumber - calls.get(x.row.callId)!.yearNumber ||
          applicantRank.get(x.row.applicantId)! - applicantRank.get(y.row.applicantId)! ||
          localGovernmentRank.get(x.row.localGovernmentId)! - localGovernmentRank.get(y.row.localGovernmentId)! ||
          x.i - y.i,
      )
      .map(({ row }) => ({
        applicantId: row.applicantId,
        applicantNameNl: row.applicantNameNl,
        callNameNl: calls.get(row.callId)!.nameNl,
        leadNameNl: nameOf.get(row.leadLocalGovernmentId)!,
        localGovernmentId: row.localGovernmentId,
        localGovernmentNameNl: nameOf.get(row.localGovernmentId)!,
      }));
  }

  /** An officer of the invited local government (or ABB) accepts: from now on it is a member, and taken for this call. */
  acceptInvitation(actor: Actor, applicantId: number, localGovernmentId: number): Promise<ApplicantDetail> {
    return this.change(actor, applicantId, null, 'invitation-accepted', async (manager, before) => {
      this.refuseUnlessInvitee(actor, before, localGovernmentId);
      await this.refuseWhenLocked(manager, applicantId);
      const call = await this.call(manager, { id: before.callId });
      refuseTaken(await this.facts.candidates(manager, call, [localGovernmentId], applicantId));
      await this.repository.confirmMember(manager, applicantId, localGovernmentId);
      return membersChanged(before);
    });
  }

  /** An officer of the invited local government (or ABB) declines: the invitation is gone. Consent can always be refused. */
  declineInvitation(actor: Actor, applicantId: number, localGovernmentId: number): Promise<ApplicantDetail> {
    return this.change(actor, applicantId, null, 'invitation-declined', async (manager, before) => {
      this.refuseUnlessInvitee(actor, before, localGovernmentId);
      await this.repository.deleteInvitation(manager, applicantId, localGovernmentId);
      return membersChanged(before);
    });
  }

  /** ABB confirms an account changed after approval, once its signed letter is there; from then on payments use it. */
  confirmPayoutChange(actor: Actor, applicantId: number, version: number): Promise<ApplicantDetail> {
    return this.change(actor, applicantId, version, 'payout-account-confirmed', async (manager, before) => {
      if (!before.payoutChangePending) throw new FieldErrors({ payoutIban: ['Er is geen gewijzigd rekeningnummer om te bevestigen.'] });
      if (!(await this.documents.hasLetterFor(manager, applicantId)))
        throw new FieldErrors({ payoutIban: ['Voeg eerst de ondertekende bevestigingsbrief voor het nieuwe rekeningnummer toe.'] });
      if (await this.changedPayoutOrLetter(manager, applicantId, actor)) {
        throw new NotPermitted('Wie het rekeningnummer wijzigde of de brief toevoegde, bevestigt het niet zelf: een tweede medewerker van ABB bevestigt.');
      }
      return { confirmed_payout_iban: before.contact.iban };
    });
  }

  /** At approval, the account as submitted becomes the confirmed one (inside the approval's transaction). */
  confirmPayoutAccountAtApproval(manager: EntityManager, applicantId: number): Promise<void> {
    return this.repository.confirmPayoutAccount(manager, applicantId);
  }

  /** A new confirmation letter is refused once the application is submitted, unless it is for an account change ABB allowed after approval. */
  async refuseLetterWhenLocked(manager: EntityManager, applicantId: number): Promise<void> {
    if (!(await this.repository.payoutChangePending(manager, applicantId))) await this.refuseWhenLocked(manager, applicantId);
  }

  private refuseUnlessInvitee(actor: Actor, applicant: ApplicantDetail, localGovernmentId: number) {
    const invited = applicant.members.some((m) => m.localGovernmentId === localGovernmentId && m.state === 'invited');
    // An invitation for someone else looks like no invitation at all.
    if (!invited || !(isAbb(actor) || actor.localGovernmentId === localGovernmentId)) throw new NotFound();
  }

  /** Members, lead, payout account and letter are frozen from submission until ABB reopens or returns the application. */
  private async refuseWhenLocked(manager: EntityManager, applicantId: number): Promise<void> {
    const locked = await this.applicantLock.lockedStatus(manager, applicantId);
    if (locked) throw frozen(locked.labelNl);
  }

  /** After approval ABB may change the account: it stays pending until a new letter is there and ABB confirms it. */
  private async refuseAccountChangeWhenLocked(manager: EntityManager, actor: Actor, applicantId: number): Promise<void> {
    const locked = await this.applicantLock.lockedStatus(manager, applicantId);
    if (!locked || (locked.status === 'goedgekeurd' && isAbb(actor))) return;
    throw frozen(
      locked.labelNl,
      locked.status === 'goedgekeurd' ? ' Na goedkeuring wijzigt enkel ABB het rekeningnummer, met een nieuwe bevestigingsbrief.' : '',
    );
  }

  /** Four eyes on money: whether this person changed the pending account or uploaded its letter. */
  private async changedPayoutOrLetter(manager: EntityManager, applicantId: number, actor: Actor): Promise<boolean> {
    if (actor.userId === null) return false;
    return (
      (await this.documents.letterUploadedBy(manager, applicantId, actor.userId)) || (await this.payoutAccountChangedBy(manager, applicantId, actor.userId))
    );
  }
  /** Whether this user changed the payout IBAN of the applicant (read from the audit trail). */
  private async payoutAccountChangedBy(manager: EntityManager, applicantId: number, userId: number): Promise<boolean> {
    const changes = await this.audit.entriesBy(manager, 'applicant', applicantId, 'contact-updated', userId);
    const iban = (snapshot: object | null) => (snapshot as { contact?: { iban?: unknown } } | null)?.contact?.iban ?? null;
    return changes.some((entry) => iban(entry.after) !== iban(entry.before));
  }

  /**
   * Runs one change of an applicant through changeVersioned (409 when stale; null: whatever the version, under the row lock):
   * apply refuses or returns the applicant's columns to set; the new version and the audit entry before → after follow.
   */
  private change(
    actor: Actor,
    applicantId: number,
    version: number | null,
    action: string,
    apply: (manager: EntityManager, before: ApplicantDetail) => Promise<Record<string, unknown>>,
  ): Promise<ApplicantDetail> {
    return inTransaction(this.dataSource, async (manager) => {
      const expected = version === null ? await this.repository.lockVersion(manager, applicantId) : checkedVersion(version);
      if (expected === null) throw new NotFound();
      const { after } = await changeVersioned(manager, this.audit, actor, this.record, applicantId, expected, (before) => apply(manager, before), action);
      return after;
    });
  }

  /** A call's eligibility settings, read from the catalogue inside this transaction. */
  private async callSettings(manager: EntityManager, by: { id: number } | { year: number }): Promise<CallSettings | null> {
    const call = 'id' in by ? await this.calls.callById(manager, by.id) : await this.calls.callByYear(manager, by.year);
    if (!call) return null;
    return {
      id: call.id,
      yearNumber: call.yearNumber,
      nameNl: call.nameNl,
      onlyExistingApplicants: call.onlyExistingApplicants,
      settings: { threshold: call.eligibilityThreshold, originDefinition: call.originDefinition, referenceYear: call.statisticsReferenceYear },
    };
  }

  /** The call, or a refusal on the year field. */
  private async call(manager: EntityManager, by: { id: number } | { year: number }): Promise<CallSettings> {
    const call = await this.callSettings(manager, by);
    if (!call) throw new FieldErrors({ year: ['Dit projectjaar bestaat niet.'] });
    return call;
  }

  private async checkCarryOver(manager: EntityManager, call: CallSettings, input: RegisterApplicantDto): Promise<number | null> {
    if (input.carriedOverFromId === undefined) {
      if (call.onlyExistingApplicants)
        throw new FieldErrors({
          carriedOverFromId: [`In ${call.nameNl} dienen enkel projectindieners van het vorige projectjaar in; nieuwe lokale besturen sluiten bij hen aan.`],
        });
      return null;
    }
    // An applicant of an earlier project year with the same lead.
    const earlier = await this.repository.find(manager, input.carriedOverFromId);
    const earlierCall =
      earlier && earlier.leadLocalGovernmentId === input.leadLocalGovernmentId ? await this.callSettings(manager, { id: earlier.callId }) : null;
    if (!earlier || !earlierCall || earlierCall.yearNumber >= call.yearNumber)
      throw new FieldErrors({ carriedOverFromId: ['Kies een aanvraag van een vorig projectjaar met dezelfde trekker.'] });
    return earlier.id;
  }

  private async detail(manager: EntityManager, applicantId: number): Promise<ApplicantDetail | null> {
    const a = await this.repository.find(manager, applicantId);
    if (!a) return null;
    const call = await this.call(manager, { id: a.callId });
    const memberStates = await this.repository.memberStates(manager, applicantId);
    const states = new Map(memberStates.map((m) => [m.localGovernmentId, m.state]));
    const candidates = await this.facts.candidates(
      manager,
      call,
      memberStates.map((m) => m.localGovernmentId),
      applicantId,
    );
    const lead = candidates.find((c) => c.id === a.leadLocalGovernmentId)!;
    const members = candidates
      .map((c) => ({
        localGovernmentId: c.id,
        state: states.get(c.id)!,
        nisCode: c.nisCode,
        nameNl: c.nameNl,
        lead: c.id === lead.id,
        residents: c.residents,
        regionNameNl: c.regionNameNl,
      }))
      .sort((x, y) => Number(y.lead) - Number(x.lead) || x.nameNl.localeCompare(y.nameNl, 'nl'));
    return {
      id: a.id,
      nameNl: a.nameNl,
      kind: a.kind,
      callId: a.callId,
      callYear: call.yearNumber,
      callNameNl: call.nameNl,
      leadLocalGovernmentId: a.leadLocalGovernmentId,
      carriedOverFromId: a.carriedOverFromId,
      version: a.version,
      members,
      contact: { name: a.contactName, email: a.contactEmail, phone: a.contactPhone, iban: a.payoutIban },
      ibanLetterRequired: a.payoutIban !== null && a.payoutIban !== lead.usualIban,
      confirmedPayoutIban: a.confirmedPayoutIban,
      payoutChangePending: a.confirmedPayoutIban !== null && a.payoutIban !== a.confirmedPayoutIban,
      eligibility: assessEligibility(
        { kind: a.kind, lead, members: candidates.filter((c) => states.get(c.id) === 'member'), carriedOver: a.carriedOverFromId !== null },
        call.settings,
      ),
    };
  }

  async coverage(year: number, filter: CoverageFilter): Promise<{ call: CallSettings; rows: CoverageRow[] }> {
    const call = await this.call(this.dataSource.manager, { year });
    return { call, rows: await this.facts.coverage(this.dataSource.manager, call, filter) };
  }

  regions(): Promise<{ id: number; nameNl: string }[]> {
    return this.organisations.regions();
  }

  /** Demo data: registers the applicant unless its lead already leads one in that call. */
  async createIfMissing(manager: EntityManager, applicant: NewApplicant): Promise<boolean> {
    const id = await this.repository.insertIfMissing(manager, applicant);
    if (id === null) return false;
    for (const member of new Set([applicant.leadLocalGovernmentId, ...applicant.memberLocalGovernmentIds]))
      await this.repository.insertMember(manager, id, applicant.callId, member, false, 'member');
    return true;
  }
}

/** Id → rank in the given order, equal names ranking equal. */
function denseRanks(ordered: [number, string][]): Map<number, number> {
  const ranks = new Map<number, number>();
  let rank = 0;
  let previous: string | undefined;
  for (const [id, name] of ordered) {
    if (name !== previous) rank++;
    previous = name;
    if (!ranks.has(id)) ranks.set(id, rank);
  }
  return ranks;
}

/** 409 naming the cooperation a member already takes part in. */
function refuseTaken(candidates: Candidate[]) {
  for (const candidate of candidates) {
    const [other] = candidate.otherApplicants;
    if (other) {
      const message = `${candidate.nameNl} neemt in dit projectjaar al deel aan "${other.nameNl}".`;
      throw new Conflict(message, { localGovernmentId: [message] }, { cooperation: other.nameNl });
    }
  }
}

function refuseUnlessEligible(verdict: EligibilityVerdict, candidates: Candidate[], carriedOver: boolean) {
  if (!carriedOver) refuseTaken(candidates);
  if (!verdict.eligible) throw new FieldErrors({ memberLocalGovernmentIds: verdict.reasons });
}

const isAbb = (actor: Actor) => scopeOf(actor.role, 'applicants:edit') === 'all';

/** A local government joins only with consent: its own officer, or ABB, binds it directly; anyone else invites it. */
function stateFor(actor: Actor, localGovernmentId: number): MemberState {
  return isAbb(actor) || actor.localGovernmentId === localGovernmentId ? 'member' : 'invited';
}

function frozen(statusNl: string, extra = ''): Conflict {
  const message = `De aanvraag is ingediend (status "${statusNl}"): deelnemers, trekker, rekeningnummer en bevestigingsbrief liggen vast tot ABB de aanvraag heropent of terugstuurt.${extra}`;
  return new Conflict(message, { applicant: [message] });
}

function snapshot(detail: ApplicantDetail) {
  return {
    nameNl: detail.nameNl,
    kind: detail.kind,
    members: detail.members.map((m) => (m.state === 'invited' ? `${m.nameNl} (uitgenodigd)` : m.nameNl)),
    contact: detail.contact,
    confirmedPayoutIban: detail.confirmedPayoutIban,
    eligible: detail.eligibility.eligible,
  };
}
