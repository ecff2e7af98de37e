import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@ps/database';
import { AuditService } from '@ps/audit';
import { CatalogueService } from '@ps/catalogue';
import { Actor } from '@ps/identity';
import { Conflict, FieldErrors, NotFound, NotPermitted, Page, PageRequest, pageBounds, pageOf, withTotal } from '@ps/kernel';
import { OrganisationReadModel } from '@ps/organisations';
import { ApplicantKind, MemberState } from './applicant.entities';
import { ApplicantNotices } from './applicant-notices';
import { ApplicantDetail, ApplicantRecords, isAbb, snapshot } from './applicant-records';
import { ApplicantListRow, ApplicantsRepository } from './applicants.repository';
import { RegisterApplicantDto } from './dto';
import { assessEligibility, CallSettings, Candidate, EligibilityVerdict } from './eligibility';
import { EligibilityFacts } from './eligibility-facts';
import { Continuation, continuationAfterMergers, notValidOn } from './merger-continuation';
import { CoverageCounts, CoverageFilter, CoverageRow, coverageCounts } from './eligibility-overview';
import { refusalToRegister } from './who-may-apply';

export interface ApplicantSummary {
  id: number;
  nameNl: string;
  kind: ApplicantKind;
  leadNameNl: string;
  memberCount: number;
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

/** A page of the coverage overview of one call; `counts` are over every page. */
export interface CoveragePage extends Page<CoverageRow> {
  call: CallSettings;
  counts: CoverageCounts;
}

/**
 * Registration and membership of a projectindiener (applicant): registering it for a call, its members, the invitations
 * and their answers, and reading applicants (lists, one applicant, who takes part, the eligibility overview).
 */
@Injectable()
export class ApplicantRegistrationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly records: ApplicantRecords,
    private readonly repository: ApplicantsRepository,
    private readonly facts: EligibilityFacts,
    private readonly organisations: OrganisationReadModel,
    private readonly catalogue: CatalogueService,
    private readonly notices: ApplicantNotices,
  ) {}

  /** The whole list of the applicants of a call; only those the local government takes part in when one is given. */
  async listForCall(callId: number, onlyForLocalGovernmentId?: number): Promise<ApplicantSummary[]> {
    const manager = this.dataSource.manager;
    return this.summaries(manager, await this.repository.listForCall(manager, callId, onlyForLocalGovernmentId ?? null));
  }

  /** One page of `listForCall` (the page and the API), cut in SQL; no call means an empty list. */
  async pageForCall(callId: number | null, onlyForLocalGovernmentId?: number, request: PageRequest = {}): Promise<Page<ApplicantSummary>> {
    const { page, pageSize, offset, limit } = pageBounds(request);
    if (callId === null) return withTotal([], 0, page, pageSize);
    const manager = this.dataSource.manager;
    const { rows, total } = await this.repository.pageForCall(manager, callId, onlyForLocalGovernmentId ?? null, offset, limit);
    return withTotal(await this.summaries(manager, rows), total, page, pageSize);
  }

  private async summaries(manager: EntityManager, rows: ApplicantListRow[]): Promise<ApplicantSummary[]> {
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
    return this.records.detail(manager, applicantId);
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
      const call = await this.records.call(manager, { year: input.year });
      const memberIds = [...new Set([input.leadLocalGovernmentId, ...input.memberLocalGovernmentIds])];
      const carriedOver = await this.checkCarryOver(manager, call, input);
      const candidates = await this.facts.candidates(manager, call, memberIds, null);
      const lead = candidates.find((c) => c.id === input.leadLocalGovernmentId);
      if (!lead || candidates.length !== memberIds.length) throw new FieldErrors({ memberLocalGovernmentIds: ['Kies lokale besturen uit de lijst.'] });
      const gone = notValidOn(candidates, call.referenceDate);
      if (gone.length > 0) throw new FieldErrors({ memberLocalGovernmentIds: gone });
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
      const detail = (await this.records.detail(manager, id))!;
      await this.audit.record(manager, actor, {
        entityType: 'applicant',
        entityId: id,
        action: 'registered',
        after: snapshot(detail),
        ownerLocalGovernmentIds: this.records.owners(detail),
      });
      for (const member of detail.members.filter((m) => m.state === 'invited')) await this.notices.invited(manager, detail, member.localGovernmentId);
      return detail;
    });
  }

  /**
   * How this applicant continues in the next project year when members merged before its reference date
   * (docs/calls.md, municipal mergers): null when there is no next year or no member merged. Takes the applicant as its
   * page has just read it (`get`).
   */
  async continuation(detail: ApplicantDetail): Promise<(Continuation & { yearNumber: number }) | null> {
    const manager = this.dataSource.manager;
    const next = await this.records.callSettings(manager, { year: detail.callYear + 1 });
    if (!next) return null;
    const memberIds = detail.members.filter((m) => m.state === 'member').map((m) => m.localGovernmentId);
    const members = await this.organisations.facts(manager, memberIds, next.settings);
    const continuingIds = [...new Set(members.map((m) => m.successorId ?? m.id))];
    const continuing = await this.organisations.facts(manager, continuingIds, next.settings, 'name');
    const answer = continuationAfterMergers({
      kind: detail.kind,
      members,
      referenceDate: next.referenceDate,
      threshold: next.settings.threshold,
      originDefinition: next.settings.originDefinition,
      referenceYear: next.settings.referenceYear,
      continuing: new Map(continuing.map((c) => [c.id, { id: c.id, nameNl: c.nameNl, residents: c.residents }])),
    });
    return answer.merged ? { ...answer, yearNumber: next.yearNumber } : null;
  }

  /** Invites a local government (ABB adds it directly): 409 naming the cooperation it is already in; 422 across regions. */
  addMember(actor: Actor, applicantId: number, localGovernmentId: number, version: number): Promise<ApplicantDetail> {
    return this.records.change(
      actor,
      applicantId,
      version,
      stateFor(actor, localGovernmentId) === 'member' ? 'member-added' : 'member-invited',
      async (manager, before) => {
        await this.records.refuseWhenLocked(manager, applicantId);
        if (before.members.some((m) => m.localGovernmentId === localGovernmentId))
          throw new FieldErrors({ localGovernmentId: ['Dit lokaal bestuur neemt al deel.'] });
        if (before.kind !== 'cooperation' && before.kind !== 'de-rand')
          throw new FieldErrors({ localGovernmentId: ['Enkel een samenwerkingsverband of vzw De Rand heeft meerdere deelnemers.'] });
        const call = await this.records.call(manager, { id: before.callId });
        const ids = [...before.members.map((m) => m.localGovernmentId), localGovernmentId];
        const candidates = await this.facts.candidates(manager, call, ids, applicantId);
        const newcomer = candidates.find((c) => c.id === localGovernmentId);
        if (!newcomer) throw new FieldErrors({ localGovernmentId: ['Kies een lokaal bestuur uit de lijst.'] });
        const gone = notValidOn([newcomer], call.referenceDate);
        if (gone.length > 0) throw new FieldErrors({ localGovernmentId: gone });
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
      async (manager, _before, after) => {
        if (stateFor(actor, localGovernmentId) === 'invited') await this.notices.invited(manager, after, localGovernmentId);
      },
    );
  }

  removeMember(actor: Actor, applicantId: number, localGovernmentId: number, version: number): Promise<ApplicantDetail> {
    return this.records.change(actor, applicantId, version, 'member-removed', async (manager, before) => {
      await this.records.refuseWhenLocked(manager, applicantId);
      if (localGovernmentId === before.leadLocalGovernmentId)
        throw new FieldErrors({ localGovernmentId: ['De trekker kan niet uit de aanvraag worden verwijderd.'] });
      if (!(await this.repository.deleteMember(manager, applicantId, localGovernmentId)))
        throw new FieldErrors({ localGovernmentId: ['Dit lokaal bestuur neemt niet deel.'] });
      return membersChanged(before);
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
    return this.records.change(
      actor,
      applicantId,
      null,
      'invitation-accepted',
      async (manager, before) => {
        this.refuseUnlessInvitee(actor, before, localGovernmentId);
        await this.records.refuseWhenLocked(manager, applicantId);
        const call = await this.records.call(manager, { id: before.callId });
        refuseTaken(await this.facts.candidates(manager, call, [localGovernmentId], applicantId));
        await this.repository.confirmMember(manager, applicantId, localGovernmentId);
        return membersChanged(before);
      },
      (manager, before, after) => this.notices.answered(manager, before, after, localGovernmentId, true),
    );
  }

  /** An officer of the invited local government (or ABB) declines: the invitation is gone. Consent can always be refused. */
  declineInvitation(actor: Actor, applicantId: number, localGovernmentId: number): Promise<ApplicantDetail> {
    return this.records.change(
      actor,
      applicantId,
      null,
      'invitation-declined',
      async (manager, before) => {
        this.refuseUnlessInvitee(actor, before, localGovernmentId);
        await this.repository.deleteInvitation(manager, applicantId, localGovernmentId);
        return membersChanged(before);
      },
      (manager, before, after) => this.notices.answered(manager, before, after, localGovernmentId, false),
    );
  }

  async coverage(year: number, filter: CoverageFilter): Promise<{ call: CallSettings; rows: CoverageRow[] }> {
    const call = await this.records.call(this.dataSource.manager, { year });
    return { call, rows: await this.facts.coverage(this.dataSource.manager, call, filter) };
  }

  /**
   * One page of the coverage overview, in NIS-code order, with the whole filtered list's numbers per status. The list is
   * computed whole (one query per kind of fact) and cut here: the status needs the call's threshold and the covering
   * applicants, and the cost at scale was the size of the answer, not the query.
   */
  async coveragePage(year: number, filter: CoverageFilter, paging: PageRequest): Promise<CoveragePage> {
    const { call, rows } = await this.coverage(year, filter);
    return { call, ...pageOf(rows, paging), counts: coverageCounts(rows) };
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

  private refuseUnlessInvitee(actor: Actor, applicant: ApplicantDetail, localGovernmentId: number) {
    const invited = applicant.members.some((m) => m.localGovernmentId === localGovernmentId && m.state === 'invited');
    // An invitation for someone else looks like no invitation at all.
    if (!invited || !(isAbb(actor) || actor.localGovernmentId === localGovernmentId)) throw new NotFound();
  }

  /** The earlier applicant this registration continues, or null for a new one; refused unless the call lets it register (who-may-apply.ts). */
  private async checkCarryOver(manager: EntityManager, call: CallSettings, input: RegisterApplicantDto): Promise<number | null> {
    const found = input.carriedOverFromId === undefined ? undefined : await this.repository.find(manager, input.carriedOverFromId);
    const earlierCall = found ? await this.records.callSettings(manager, { id: found.callId }) : null;
    const [earlierLead] = found ? await this.organisations.facts(manager, [found.leadLocalGovernmentId], call.settings) : [];
    const earlier =
      found === undefined
        ? undefined
        : found && earlierCall
          ? { yearNumber: earlierCall.yearNumber, leadLocalGovernmentId: found.leadLocalGovernmentId, leadSuccessorId: earlierLead?.successorId ?? null }
          : null;
    const refusal = refusalToRegister(call, input.leadLocalGovernmentId, earlier);
    if (refusal !== null) throw new FieldErrors({ carriedOverFromId: [refusal] });
    return found ? found.id : null;
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

/** A local government joins only with consent: its own officer, or ABB, binds it directly; anyone else invites it. */
function stateFor(actor: Actor, localGovernmentId: number): MemberState {
  return isAbb(actor) || actor.localGovernmentId === localGovernmentId ? 'member' : 'invited';
}
