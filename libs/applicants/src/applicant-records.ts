import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@ps/database';
import { AuditService, changeVersioned, VersionedRecord } from '@ps/audit';
import { CatalogueRepository } from '@ps/catalogue';
import { Actor, scopeOf } from '@ps/identity';
import { checkedVersion, Conflict, FieldErrors, NotFound } from '@ps/kernel';
import { APPLICANT_LOCK, ApplicantLock } from './applicant-lock.port';
import { ApplicantKind, MemberState } from './applicant.entities';
import { ApplicantsRepository } from './applicants.repository';
import { assessEligibility, CallSettings, EligibilityVerdict } from './eligibility';
import { EligibilityFacts } from './eligibility-facts';

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

/**
 * An applicant as both its use-case services see it (registration and membership; contact and payout): read with its
 * members, call and eligibility, changed one way only (under its version, audited before → after), and frozen while its
 * application is out of its hands (the APPLICANT_LOCK port).
 */
@Injectable()
export class ApplicantRecords {
  /** How changeVersioned reads, audits and names an applicant. */
  private readonly record: VersionedRecord<ApplicantDetail> = {
    table: 'applicant',
    entityType: 'applicant',
    what: 'Deze projectindiener',
    load: (manager, id) => this.detail(manager, id),
    snapshot,
    owners: (detail) => this.owners(detail),
  };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(APPLICANT_LOCK) private readonly applicantLock: ApplicantLock,
    private readonly repository: ApplicantsRepository,
    private readonly facts: EligibilityFacts,
    private readonly calls: CatalogueRepository,
  ) {}

  /** The local governments that own the applicant's audit entries: its confirmed members. */
  owners(detail: ApplicantDetail): number[] {
    return detail.members.filter((m) => m.state === 'member').map((m) => m.localGovernmentId);
  }

  /**
   * Runs one change of an applicant through changeVersioned (409 when stale; null: whatever the version, under the row lock):
   * apply refuses or returns the applicant's columns to set; the new version and the audit entry before → after follow, then
   * `then` (in the same transaction: the step's notices).
   */
  change(
    actor: Actor,
    applicantId: number,
    version: number | null,
    action: string,
    apply: (manager: EntityManager, before: ApplicantDetail) => Promise<Record<string, unknown>>,
    then?: (manager: EntityManager, before: ApplicantDetail, after: ApplicantDetail) => Promise<void>,
  ): Promise<ApplicantDetail> {
    return inTransaction(this.dataSource, async (manager) => {
      const expected = version === null ? await this.repository.lockVersion(manager, applicantId) : checkedVersion(version);
      if (expected === null) throw new NotFound();
      const { before, after } = await changeVersioned(manager, this.audit, actor, this.record, applicantId, expected, (b) => apply(manager, b), action);
      if (then) await then(manager, before, after);
      return after;
    });
  }

  /** The status of the applicant's application while it is out of the applicant's hands, or null (the APPLICANT_LOCK port). */
  lockedStatus(manager: EntityManager, applicantId: number): Promise<{ status: string; labelNl: string } | null> {
    return this.applicantLock.lockedStatus(manager, applicantId);
  }

  /** Members, lead, payout account and letter are frozen from submission until ABB reopens or returns the application. */
  async refuseWhenLocked(manager: EntityManager, applicantId: number): Promise<void> {
    const locked = await this.lockedStatus(manager, applicantId);
    if (locked) throw frozen(locked.labelNl);
  }

  /** A call's eligibility settings, read from the catalogue inside this transaction. */
  async callSettings(manager: EntityManager, by: { id: number } | { year: number }): Promise<CallSettings | null> {
    const call = 'id' in by ? await this.calls.callById(manager, by.id) : await this.calls.callByYear(manager, by.year);
    if (!call) return null;
    return {
      id: call.id,
      yearNumber: call.yearNumber,
      nameNl: call.nameNl,
      onlyExistingApplicants: call.onlyExistingApplicants,
      applicantsOfYear: call.applicantsOfYear,
      settings: { threshold: call.eligibilityThreshold, originDefinition: call.originDefinition, referenceYear: call.statisticsReferenceYear },
      referenceDate: call.projectStart,
    };
  }

  /** The call, or a refusal on the year field. */
  async call(manager: EntityManager, by: { id: number } | { year: number }): Promise<CallSettings> {
    const call = await this.callSettings(manager, by);
    if (!call) throw new FieldErrors({ year: ['Dit projectjaar bestaat niet.'] });
    return call;
  }

  /** The applicant with its members, call and eligibility, read with the given manager, or null if there is none. */
  async detail(manager: EntityManager, applicantId: number): Promise<ApplicantDetail | null> {
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
}

/** Whether the actor acts for ABB (edits every applicant). */
export const isAbb = (actor: Actor) => scopeOf(actor.role, 'applicants:edit') === 'all';

export function frozen(statusNl: string, extra = ''): Conflict {
  const message = `De aanvraag is ingediend (status "${statusNl}"): deelnemers, trekker, rekeningnummer en bevestigingsbrief liggen vast tot ABB de aanvraag heropent of terugstuurt.${extra}`;
  return new Conflict(message, { applicant: [message] });
}

/** What the audit trail keeps of an applicant, before and after a change. */
export function snapshot(detail: ApplicantDetail) {
  return {
    nameNl: detail.nameNl,
    kind: detail.kind,
    members: detail.members.map((m) => (m.state === 'invited' ? `${m.nameNl} (uitgenodigd)` : m.nameNl)),
    contact: detail.contact,
    confirmedPayoutIban: detail.confirmedPayoutIban,
    eligible: detail.eligibility.eligible,
  };
}
