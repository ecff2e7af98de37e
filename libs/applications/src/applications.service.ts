import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Idempotency, IdempotentAnswers, inTransaction } from '@ps/database';
import { ApplicantDetail, ApplicantFacts, ApplicantReadModel, ApplicantRegistrationService } from '@ps/applicants';
import { Call, CatalogueLineView, CatalogueRepository } from '@ps/catalogue';
import { AuditService } from '@ps/audit';
import { Actor } from '@ps/identity';
import { BoundedMap, Clock, Conflict, FieldErrors, NotFound, NotPermitted, StaleVersion } from '@ps/kernel';
import { ApplicationsRepository, DraftColumns } from './applications.repository';
import { checkDraft, DraftInput, Stimuli } from './application-rules';
import { Application, ApplicationRecords, summary } from './application-records';
import { isEditable, mayExtend } from './workflow';
import { ApplicationNotices } from './application-notices';
import { submissionDigest } from './submission-receipt';
import { ActionOutlook, extensionOutlook } from './extension-outlook';

/**
 * The use cases of an application: the applicant's side here (start, drafts, submission), ABB's review in
 * ReviewService; the reading and the versioned change of an application in ApplicationRecords.
 */
@Injectable()
export class ApplicationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly applicants: ApplicantRegistrationService,
    private readonly clock: Clock,
    private readonly repository: ApplicationsRepository,
    private readonly applicantFacts: ApplicantReadModel,
    private readonly catalogue: CatalogueRepository,
    private readonly records: ApplicationRecords,
    private readonly idempotentAnswers: IdempotentAnswers,
    private readonly notices: ApplicationNotices,
  ) {}

  /** An application's applicant never changes, so the tenant check on every request asks the database only for the members. */
  private readonly applicantOfApplication = new BoundedMap<number, number>(50_000);

  /** The local governments whose officers may see the application, or null if there is none. */
  async memberLocalGovernmentIds(applicationId: number): Promise<number[] | null> {
    let applicantId = this.applicantOfApplication.get(applicationId) ?? null;
    if (applicantId === null) {
      applicantId = await this.repository.applicantIdOf(this.dataSource.manager, applicationId);
      if (applicantId !== null) this.applicantOfApplication.set(applicationId, applicantId);
    }
    return applicantId === null ? null : this.applicants.memberLocalGovernmentIds(applicantId);
  }

  async idFor(applicantId: number): Promise<number | null> {
    return this.repository.idForApplicant(this.dataSource.manager, applicantId);
  }

  /** Pass the manager of the caller's transaction, if any: on PGlite a second connection would wait for it. */
  get(id: number, manager: EntityManager = this.dataSource.manager): Promise<Application> {
    return this.records.load(manager, id);
  }

  /**
   * Per action of the applicant's approved application, whether it may be extended into the next call (not a draft) and
   * why (extension-outlook.ts); null when there is no next call or no approved application. Takes the applicant as its
   * page has just read it.
   */
  async extensionOutlook(applicant: Pick<ApplicantDetail, 'id' | 'callId' | 'callYear'>): Promise<{ yearNumber: number; actions: ActionOutlook[] } | null> {
    const manager = this.dataSource.manager;
    const next = await this.catalogue.callByYear(manager, applicant.callYear + 1);
    if (!next) return null;
    const approvedId = await this.repository.approvedAmong(manager, applicant.callId, [applicant.id], applicant.id);
    if (approvedId === null) return null;
    const earlier = new Map((await this.catalogue.lineViews(manager, applicant.callId)).map((line) => [line.id, line]));
    const nextMenu = new Map<number, number[]>();
    for (const line of await this.catalogue.lineViews(manager, next.id))
      nextMenu.set(line.actionNumber, [...(nextMenu.get(line.actionNumber) ?? []), line.position]);
    const lines = (await this.repository.confirmedLines(manager, approvedId)).map((stored) => {
      const view = earlier.get(stored.kpi_line_id)!;
      return {
        actionNumber: view.actionNumber,
        position: view.position,
        unitNl: view.unitNl,
        confirmedQuantity: stored.confirmed_quantity!,
        interimRealised: stored.interim_realised,
        positiveEvaluation: stored.positive_evaluation,
        overrideReason: stored.extension_override_reason,
      };
    });
    const titles = new Map([...earlier.values()].map((line) => [line.actionNumber, line.actionTitleNl]));
    return { yearNumber: next.yearNumber, actions: extensionOutlook(lines, titles, nextMenu, next.yearNumber, next.interimThresholdPercent) };
  }

  /** Opens the applicant's draft for its call; a later year starts from the previous year's confirmed commitments that may extend. */
  start(actor: Actor, applicantId: number): Promise<Application> {
    return inTransaction(this.dataSource, async (manager) => {
      const applicant = await this.applicantFacts.one(manager, applicantId);
      if (!applicant) throw new NotFound();
      const call = (await this.catalogue.callById(manager, applicant.callId))!;
      const previousId = await this.previousApproved(manager, applicant, call);
      const id = await this.repository.insert(manager, applicantId, call.id, call.catalogueVersion, previousId);
      if (id === null) throw new Conflict('Deze projectindiener heeft al een aanvraag voor dit projectjaar.');
      const catalogue = await this.catalogue.lineViews(manager, call.id);
      await this.repository.insertLines(
        manager,
        id,
        catalogue.map((line) => line.id),
      );
      if (previousId !== null) await this.carryOver(manager, id, call, previousId, catalogue);
      const application = await this.records.load(manager, id);
      await this.audit.record(manager, actor, {
        entityType: 'application',
        entityId: id,
        action: 'created',
        after: summary(application),
        ownerLocalGovernmentIds: await this.records.owners(manager, application),
      });
      return application;
    });
  }

  /**
   * Saves a draft at any time; input that can never be valid is refused per field and nothing is saved. With an idempotency key (optional) the first successful answer is stored with the change, and a
   * retry with that key gets it again, also when the first is still running (it waits for it) or when the draft moved on.
   */
  async saveDraft(actor: Actor, id: number, version: number, input: DraftInput, idempotencyKey?: unknown): Promise<Application> {
    const idempotency = IdempotentAnswers.of(actor.userId, idempotencyKey, { save: id, version, input });
    const earlier = idempotency && (await this.idempotentAnswers.recall<Application>(idempotency));
    if (earlier) return earlier;
    try {
      return await this.writeDraft(actor, id, version, input, idempotency);
    } catch (error) {
      // A retry that waited for its own first attempt finds the version moved on by it: that attempt's answer.
      const first = idempotency && error instanceof StaleVersion && (await this.idempotentAnswers.recall<Application>(idempotency));
      if (first) return first;
      throw error;
    }
  }

  private writeDraft(actor: Actor, id: number, version: number, input: DraftInput, idempotency: Idempotency | undefined): Promise<Application> {
    const remember = idempotency && ((manager: EntityManager, after: Application) => this.idempotentAnswers.remember(manager, idempotency, after));
    return this.records.change(
      actor,
      id,
      version,
      'draft-saved',
      async (manager, before) => {
        if (!isEditable(before.status)) throw new Conflict(`Een aanvraag met status "${before.status}" kan niet meer gewijzigd worden.`);
        const draft = checkDraft(input, before.lines, before.cooperationStimulusAllowed, before.cooperationStimulusReason);
        if (Object.keys(draft.errors).length > 0) throw new FieldErrors(draft.errors);
        // Only what changed is written: an unchanged save writes nothing at all (no version, no audit row).
        const stored = new Map(before.lines.map((line) => [line.id, line]));
        const changedLines = draft.lines.filter((line) => {
          const was = stored.get(line.kpiLineId);
          return !was || was.currentReach !== line.currentReach || was.plannedReach !== line.plannedReach || was.contributionCents !== line.contributionCents;
        });
        for (const line of changedLines) {
          await this.repository.setLineColumns(manager, id, line.kpiLineId, {
            current_reach: line.currentReach,
            planned_reach: line.plannedReach,
            contribution_cents: line.contributionCents,
          });
        }
        const wanted = new Map(draft.priorities);
        const removed = Object.entries(before.priorities)
          .filter(([action, priority]) => wanted.get(Number(action)) !== priority)
          .map(([action]) => Number(action));
        const added = [...wanted].filter(([action, priority]) => before.priorities[action] !== priority);
        await this.repository.changePriorities(manager, id, removed, added);
        const columns = draftColumns(draft.stimuli);
        const stimuliChanged = JSON.stringify(columns) !== JSON.stringify(draftColumns(before.stimuli));
        if (stimuliChanged) await this.repository.saveDraftColumns(manager, id, columns);
        return changedLines.length > 0 || removed.length > 0 || added.length > 0 || stimuliChanged;
      },
      remember,
    );
  }

  /** Submission by an officer of the lead, within the window (Brussels time) unless the application was sent back. */
  submit(actor: Actor, id: number, version: number): Promise<Application> {
    return this.records.transition(
      actor,
      id,
      version,
      'submit',
      async (manager, before) => {
        if (actor.localGovernmentId !== before.leadLocalGovernmentId) {
          throw new NotPermitted('Enkel een medewerker van de trekker dient de aanvraag in.');
        }
        if (before.status === 'concept' && !before.window.open) throw new Conflict(before.window.message, { submit: [before.window.message] });
        const missing = { ...before.incomplete, ...(await this.applicantIncomplete(manager, before.applicantId)) };
        if (Object.keys(missing).length > 0) throw new FieldErrors(missing);
        await this.repository.setColumns(manager, id, { submitted_at: this.clock.now() });
      },
      async (manager, after, before) => {
        // Proof of a timely submission: the digest of what was submitted, kept and told in the receipt.
        const digest = submissionDigest(after);
        await this.repository.setColumns(manager, id, { submitted_digest: digest });
        await this.notices.submitted(manager, after, digest, before.status !== 'concept');
      },
    );
  }

  startReview(actor: Actor, id: number, version: number): Promise<Application> {
    return this.records.transition(actor, id, version, 'start-review', async () => undefined);
  }

  /** In the caller's transaction: the realised quantities of an accepted interim report feed the 25 % rule of the carry-over. */
  async recordInterimFromReport(manager: EntityManager, id: number, realised: { kpiLineId: number; realisedQuantity: number }[]): Promise<void> {
    for (const line of realised) {
      await this.repository.setLineColumns(manager, id, line.kpiLineId, { interim_realised: line.realisedQuantity, interim_from_report: true });
    }
  }

  /** Contact and payout account are part of a valid submission. */
  private async applicantIncomplete(manager: EntityManager, applicantId: number): Promise<Record<string, string[]>> {
    const applicant = await this.applicants.get(applicantId, manager);
    const missing: Record<string, string[]> = {};
    if (!applicant?.contact.name || !applicant.contact.email || !applicant.contact.phone)
      missing.contact = ['Vul de contactpersoon van de projectindiener in.'];
    if (!applicant?.contact.iban) missing.iban = ['Vul het rekeningnummer voor de uitbetaling in.'];
    if (applicant?.ibanLetterRequired && !(await this.applicantFacts.hasPayoutLetter(manager, applicantId)))
      missing.iban = ['Voeg de ondertekende bevestigingsbrief voor dit rekeningnummer toe.'];
    const invited = applicant?.members.filter((m) => m.state === 'invited') ?? [];
    if (invited.length > 0) {
      missing.members = [
        `Nog niet bevestigd: ${invited.map((m) => m.nameNl).join(', ')}. Een lokaal bestuur neemt pas deel als een eigen medewerker (of ABB) de uitnodiging aanvaardt; trek de uitnodiging anders in.`,
      ];
    }
    if (applicant && !applicant.eligibility.eligible) missing.eligibility = applicant.eligibility.reasons;
    return missing;
  }

  /** Last year's approved application of this applicant's predecessor, or else of an applicant with the same lead. */
  private async previousApproved(manager: EntityManager, applicant: ApplicantFacts, call: Call): Promise<number | null> {
    const previousCall = await this.catalogue.callByYear(manager, call.yearNumber - 1);
    if (!previousCall) return null;
    const candidates = await this.applicantFacts.ledBy(manager, applicant.leadLocalGovernmentId, previousCall.id);
    const preferred = applicant.carriedOverFromId ?? -1;
    return this.repository.approvedAmong(manager, previousCall.id, [...candidates, preferred], preferred);
  }

  /** Copies last year's confirmed quantities as planned reach for the lines that may extend (same action and position). */
  private async carryOver(manager: EntityManager, id: number, call: Call, previousId: number, catalogue: CatalogueLineView[]) {
    const previous = (await this.repository.row(manager, previousId))!;
    const previousCatalogue = new Map((await this.catalogue.lineViews(manager, previous.call_id)).map((line) => [line.id, line]));
    for (const old of await this.repository.confirmedLines(manager, previousId)) {
      const oldLine = previousCatalogue.get(old.kpi_line_id);
      const newLine = catalogue.find((line) => line.actionNumber === oldLine?.actionNumber && line.position === oldLine?.position);
      if (!newLine) continue;
      const confirmed = old.confirmed_quantity!;
      const extend = mayExtend(
        {
          confirmedQuantity: confirmed,
          interimRealised: old.interim_realised,
          positiveEvaluation: old.positive_evaluation,
          overrideReason: old.extension_override_reason,
        },
        call.interimThresholdPercent,
      );
      if (!extend) continue;
      const planned = Math.min(confirmed, newLine.maxQuantity);
      await this.repository.setLineColumns(manager, id, newLine.id, { planned_reach: planned, contribution_cents: planned * newLine.unitAmountCents });
    }
  }
}

/** The application's stimulus columns as a draft sets them (empty texts stored as null). */
function draftColumns({ cooperation, mentorship, impactBond }: Stimuli): DraftColumns {
  return {
    cooperation,
    mentorshipAction: mentorship?.actionNumber || null,
    mentorshipMotivation: mentorship?.motivation || null,
    impactBond: !!impactBond,
    impactBondExpertise: impactBond?.expertise || null,
    impactBondProblem: impactBond?.problem || null,
    impactBondActions: impactBond?.actionNumbers ?? [],
    impactBondLearningNetwork: impactBond?.learningNetwork ?? false,
  };
}
