import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AllocationService, ProposalsService, SettlementService } from '@ps/allocation';
import { ApplicantReadModel, ApplicantRegistrationService } from '@ps/applicants';
import { Application, ApplicationsService, ApprovedCommitments, ReviewService } from '@ps/applications';
import { Call, CatalogueService } from '@ps/catalogue';
import { Actor, UsersService } from '@ps/identity';
import { Clock } from '@ps/kernel';
import { MailOutbox } from '@ps/notifications';
import { ReportsService } from '@ps/reporting';
import {
  administratorTasks,
  analystTasks,
  CallFacts,
  MissingFacts,
  OfficerApplication,
  OfficerDossier,
  PendingProposal,
  officerTasks,
  platformAdministratorTasks,
  ReviewerFacts,
  reviewerTasks,
  TaskGroup,
} from './task-rules';

const callFacts = (call: Call): CallFacts => ({
  yearNumber: call.yearNumber,
  nameNl: call.nameNl,
  opensAt: call.submissionOpensAt,
  closesAt: call.submissionClosesAt,
  budgetCents: call.budgetCents,
});

/** As an application's submission window: open from its opening up to and including its closing instant. */
const windowOpen = (call: Call, now: Date) => call.submissionOpensAt <= now && now <= call.submissionClosesAt;

/**
 * "Mijn taken": per role, the facts the task rules need, read through the other libs' services and read models (this
 * lib owns no table), then handed to the pure rules in task-rules.ts.
 */
@Injectable()
export class TasksReadModel {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly catalogue: CatalogueService,
    private readonly applicants: ApplicantRegistrationService,
    private readonly applicantFacts: ApplicantReadModel,
    private readonly applications: ApplicationsService,
    private readonly review: ReviewService,
    private readonly commitments: ApprovedCommitments,
    private readonly allocation: AllocationService,
    private readonly settlements: SettlementService,
    private readonly proposals: ProposalsService,
    private readonly reports: ReportsService,
    private readonly users: UsersService,
    private readonly outbox: MailOutbox,
  ) {}

  /** The task groups of the actor's role; empty when there is nothing to do (the page then shows the role's empty state). */
  async forActor(actor: Actor): Promise<TaskGroup[]> {
    switch (actor.role) {
      case 'municipal-officer':
        return actor.localGovernmentId === null ? [] : this.officer(actor.localGovernmentId);
      case 'abb-reviewer':
        return this.reviewer(actor);
      case 'abb-administrator':
        return this.administrator(actor);
      case 'vvsg-analyst':
        return analystTasks();
      case 'platform-administrator':
        return this.platformAdministrator();
      default:
        return [];
    }
  }

  /** Per applicant the local government takes part in: the open calls without an application, and every application. */
  async officer(localGovernmentId: number): Promise<TaskGroup[]> {
    const now = this.clock.now();
    const calls = await this.catalogue.listCalls();
    const queue = await this.review.queue({ onlyForLocalGovernmentId: localGovernmentId });
    // Reads only, one chain per application side by side: a local government with a few years of applications sends
    // about 25 statements per application, and one after another they each waited for a connection under load.
    const [startable, dossiers, invitations] = await Promise.all([
      this.startable(localGovernmentId, calls, now),
      Promise.all(
        queue.map(async (item) => {
          const application = await this.applications.get(item.id);
          const call = calls.find((c) => c.yearNumber === application.callYear)!;
          return {
            year: application.callYear,
            applicantId: application.applicantId,
            applicantNameNl: application.applicantNameNl,
            callNameNl: application.callNameNl,
            windowOpen: application.window.open,
            closesAt: application.window.closesAt,
            application: await this.officerApplication(application, call, localGovernmentId),
          };
        }),
      ),
      this.applicants.invitations(localGovernmentId),
    ]);
    const all: (OfficerDossier & { year: number })[] = [...startable, ...dossiers];
    all.sort((a, b) => b.year - a.year || a.applicantNameNl.localeCompare(b.applicantNameNl, 'nl'));
    return officerTasks({ dossiers: all, invitations });
  }

  /**
   * The applicants the local government takes part in whose call is open for submission and that have no application
   * yet: the "Aanvraag starten" buttons of "Mijn taken" and of the Aanvragen page.
   */
  async startable(localGovernmentId: number, calls?: Call[], now = this.clock.now()): Promise<(OfficerDossier & { year: number })[]> {
    const dossiers: (OfficerDossier & { year: number })[] = [];
    for (const call of (calls ?? (await this.catalogue.listCalls())).filter((c) => windowOpen(c, now))) {
      for (const applicant of await this.applicants.listForCall(call.id, localGovernmentId)) {
        if ((await this.applications.idFor(applicant.id)) !== null) continue;
        dossiers.push({
          year: call.yearNumber,
          applicantId: applicant.id,
          applicantNameNl: applicant.nameNl,
          callNameNl: call.nameNl,
          windowOpen: true,
          closesAt: call.submissionClosesAt,
          application: null,
        });
      }
    }
    return dossiers;
  }

  private async officerApplication(application: Application, call: Call, localGovernmentId: number): Promise<OfficerApplication> {
    const open = application.status === 'concept' || application.status === 'terug-naar-aanvrager';
    const approved = application.status === 'goedgekeurd';
    const share = approved ? await this.allocation.publishedShareOf(application.id) : null;
    const statement = share ? await this.settlements.statement(application.id) : null;
    return {
      id: application.id,
      status: application.status,
      submittedAt: application.submittedAt,
      decidedAt: application.decidedAt,
      isLead: application.leadLocalGovernmentId === localGovernmentId,
      missing: open ? await this.missing(application) : null,
      reports: await this.reports.states(application, call),
      share: share && {
        allocatedCents: share.allocatedCents,
        advanceCents: share.advanceCents,
        balanceCents: share.balanceCents,
        publishedAt: share.publishedAt,
      },
      settlement: statement?.settled ? { toPayCents: statement.toPayCents, toRecoverCents: statement.toRecoverCents, settledAt: statement.settled.at } : null,
    };
  }

  /** As the submission checks it (ApplicationsService.submit): the applicant's contact and account, its members, and the draft. */
  private async missing(application: Application): Promise<MissingFacts | null> {
    const applicant = await this.applicants.get(application.applicantId);
    if (!applicant) return null;
    const letter = applicant.ibanLetterRequired && !(await this.applicantFacts.hasPayoutLetter(this.dataSource.manager, applicant.id));
    return {
      contactName: !applicant.contact.name,
      contactEmail: !applicant.contact.email,
      contactPhone: !applicant.contact.phone,
      iban: !applicant.contact.iban,
      letter: !!applicant.contact.iban && letter,
      invitedMembers: applicant.members.filter((m) => m.state === 'invited').map((m) => m.nameNl),
      eligibilityReasons: applicant.eligibility.eligible ? [] : applicant.eligibility.reasons,
      draft: Object.fromEntries(Object.entries(application.incomplete).map(([field, messages]) => [field, messages[0]])),
    };
  }

  async reviewer(actor: Actor): Promise<TaskGroup[]> {
    const now = this.clock.now();
    // Independent reads: on the PostgreSQL server's pool they overlap; the embedded database queues them fairly.
    const [submitted, inReview, reports, settlements, calls, proposals] = await Promise.all([
      this.review.queue({ status: 'ingediend' }),
      this.review.queue({ status: 'in-behandeling' }),
      this.reports.queue({}),
      this.settlementsToClose(),
      this.catalogue.listCalls(),
      this.pendingProposals(actor),
    ]);
    const runs = (await Promise.all(calls.map((call) => this.runToPublish(call)))).filter((run) => run !== null);
    return reviewerTasks({
      applications: [...submitted, ...inReview].map((a) => ({ ...a, status: a.status })),
      reports: reports.map((r) => ({
        applicationId: r.applicationId,
        applicantNameNl: r.applicantNameNl,
        kind: r.kind,
        submittedAt: r.submittedAt,
        late: r.late,
      })),
      settlements,
      runs,
      proposals,
      openCalls: calls.filter((c) => windowOpen(c, now)).map(callFacts),
    });
  }

  /** ABB's settlements with every result recorded and not closed, with the applicant's name. */
  private async settlementsToClose(): Promise<ReviewerFacts['settlements']> {
    const statements = await this.settlements.readyToClose();
    if (statements.length === 0) return [];
    const manager = this.dataSource.manager;
    const applicantOf = new Map(
      (
        await this.commitments.confirmedOf(
          manager,
          statements.map((s) => s.applicationId),
        )
      ).map((c) => [c.applicationId, c.applicantId]),
    );
    const names = new Map((await this.applicantFacts.facts(manager, [...new Set(applicantOf.values())])).map((a) => [a.id, a.nameNl]));
    return statements.map((s) => ({
      applicationId: s.applicationId,
      applicantNameNl: names.get(applicantOf.get(s.applicationId)!) ?? `aanvraag ${s.applicationId}`,
      toPayCents: s.toPayCents,
      toRecoverCents: s.toRecoverCents,
    }));
  }

  /** The call's newest simulated run while none of its runs is published. */
  private async runToPublish(call: Call): Promise<ReviewerFacts['runs'][number] | null> {
    const runs = await this.allocation.runs(call.yearNumber); // newest first
    const latest = runs[0];
    return latest && !runs.some((r) => r.published)
      ? { id: latest.id, callNameNl: call.nameNl, allocatedCents: latest.allocatedCents, createdAt: latest.createdAt }
      : null;
  }

  async administrator(actor: Actor): Promise<TaskGroup[]> {
    const [calls, users, proposals] = await Promise.all([this.catalogue.listCalls(), this.users.list(), this.pendingProposals(actor)]);
    return administratorTasks({ now: this.clock.now(), calls: calls.map(callFacts), activeUsers: users.filter((u) => u.active).length, proposals });
  }

  /** The money proposals waiting for a second person, marked when this actor made them. */
  private async pendingProposals(actor: Actor): Promise<PendingProposal[]> {
    return (await this.proposals.pending()).map((p) => ({
      id: p.id,
      kindLabel: p.kindLabel,
      subject: p.totals.subject,
      amountCents: p.totals.amountCents,
      proposedBy: p.proposedBy,
      proposedAt: p.proposedAt,
      mine: p.proposedByUserId === actor.userId,
    }));
  }

  async platformAdministrator(): Promise<TaskGroup[]> {
    const users = await this.users.list();
    const active = users.filter((u) => u.active).length;
    return platformAdministratorTasks({ activeUsers: active, inactiveUsers: users.length - active, outboxMails: (await this.outbox.latest(100)).length });
  }
}
