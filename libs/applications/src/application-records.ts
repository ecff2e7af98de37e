import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@ps/database';
import { ApplicantFacts, ApplicantReadModel, cooperationStimulus, CooperationStimulusVerdict } from '@ps/applicants';
import { Call, CatalogueLineView, CatalogueRepository } from '@ps/catalogue';
import { OrganisationReadModel } from '@ps/organisations';
import { AuditService, changeVersioned, VersionedRecord } from '@ps/audit';
import { Actor } from '@ps/identity';
import { Cents, checkedVersion, Clock, formatBrussels, NotFound, sumCents } from '@ps/kernel';
import { ApplicationsRepository, StoredLine } from './applications.repository';
import { CatalogueLine, checkDraft, DraftInput, Stimuli, StimulusAmounts, totals, Totals } from './application-rules';
import { Status, Transition, TRANSITIONS, transitionRefusal } from './workflow';

export interface ApplicationLine extends CatalogueLine {
  objectiveCode: string;
  actionTitleNl: string;
  position: number;
  currentReach: number;
  plannedReach: number;
  contributionCents: Cents;
  confirmedQuantity: number | null;
  confirmedContributionCents: Cents | null;
  reviewComment: string | null;
  /** Why ABB confirmed less than the planned reach, as the decision letter states it; null: not reduced or no reason given. */
  reductionReason: string | null;
  interimRealised: number | null;
  /** The interim realised quantity came from ABB's acceptance of the interim report. */
  interimFromReport: boolean;
  positiveEvaluation: boolean;
  extensionOverrideReason: string | null;
}

export interface SubmissionWindow {
  opensAt: Date;
  closesAt: Date;
  open: boolean;
  message: string;
}

export interface Application {
  id: number;
  applicantId: number;
  applicantNameNl: string;
  applicantKind: string;
  leadLocalGovernmentId: number;
  callId: number;
  callYear: number;
  callNameNl: string;
  status: Status;
  version: number;
  lines: ApplicationLine[];
  priorities: Record<number, number>;
  stimuli: Stimuli;
  /** The call's amount per stimulus (null: not set for this call). */
  stimulusAmounts: StimulusAmounts;
  cooperationStimulusAllowed: boolean;
  /** Why the cooperation stimulus applies or not, in Dutch. */
  cooperationStimulusReason: string;
  totals: Totals;
  /** ABB's decision per stimulus at approval. */
  stimulusDecisions: Record<StimulusKind, StimulusDecision>;
  /** The confirmed KPI lines' contributions (what the local cofinancing matches), null before approval. */
  confirmedLinesCents: Cents | null;
  /** The confirmed lines plus the granted stimuli, null before approval. */
  confirmedTotalCents: Cents | null;
  /** What still stands between the draft and a valid submission, per field. */
  incomplete: Record<string, string[]>;
  window: SubmissionWindow;
  submittedAt: Date | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  deadlineExtensionReason: string | null;
  previousApplicationId: number | null;
}

export type StimulusKind = 'cooperation' | 'mentorship' | 'impactBond';

export interface StimulusDecision {
  requested: boolean;
  /** null: not decided (not requested, or not approved yet). */
  granted: boolean | null;
  refusalReason: string | null;
  grantedCents: Cents | null;
}

/** The three stimuli: where each is stored, its form field, its Dutch name, whether it was requested and what the call pays. */
export const STIMULI: {
  kind: StimulusKind;
  column: string;
  field: string;
  nameNl: string;
  requested: (s: Stimuli) => boolean;
  amount: (a: StimulusAmounts) => Cents | null;
}[] = [
  {
    kind: 'cooperation',
    column: 'cooperation_stimulus',
    field: 'stimulus-cooperation',
    nameNl: 'samenwerkingsstimulans',
    requested: (s) => s.cooperation,
    amount: (a) => a.cooperationCents,
  },
  {
    kind: 'mentorship',
    column: 'mentorship_stimulus',
    field: 'stimulus-mentorship',
    nameNl: 'mentorschapsstimulans',
    requested: (s) => !!s.mentorship,
    amount: (a) => a.mentorshipCents,
  },
  {
    kind: 'impactBond',
    column: 'impact_bond_stimulus',
    field: 'stimulus-impact-bond',
    nameNl: 'sociale impact obligatie',
    requested: (s) => !!s.impactBond,
    amount: (a) => a.impactBondCents,
  },
];

/**
 * An application as its use cases see it (the rows of the applications lib with the applicant, call and catalogue
 * they refer to), and the one way to change it: under its version, audited before → after.
 */
/** What an application change cannot alter, read once per change. */
interface LoadContext {
  applicant: ApplicantFacts;
  /** Every local government on the applicant (invited ones too) with its state. */
  members: { localGovernmentId: number; state: string }[];
  call: Call;
  catalogue: CatalogueLineView[];
  cooperation: { allowed: boolean; reason: string };
}

@Injectable()
export class ApplicationRecords {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly repository: ApplicationsRepository,
    private readonly applicantFacts: ApplicantReadModel,
    private readonly catalogue: CatalogueRepository,
    private readonly organisations: OrganisationReadModel,
  ) {}

  async load(manager: EntityManager, id: number): Promise<Application> {
    const application = await this.loadIfExists(manager, id);
    if (!application) throw new NotFound();
    return application;
  }

  /**
   * The application as the pages and the API show it. `context` keeps what an application change cannot alter
   * (its applicant, call, catalogue and the cooperation-stimulus verdict) between the load before and after it.
   */
  async loadIfExists(
    manager: EntityManager,
    id: number,
    context: Partial<LoadContext> = {},
    lock: 'for-update' | 'no-lock' = 'no-lock',
  ): Promise<Application | null> {
    const found = await this.repository.stored(manager, id, lock);
    if (!found) return null;
    const { row: a, lines: stored, priorities: storedPriorities } = found;
    const applicant = (context.applicant ??= (await this.applicantFacts.one(manager, a.applicant_id))!);
    const members = (context.members ??= await this.applicantFacts.membersWithState(manager, a.applicant_id));
    const call = (context.call ??= (await this.catalogue.callById(manager, a.call_id))!);
    const catalogue = (context.catalogue ??= await this.catalogue.lineViews(manager, a.call_id));
    const byLine = new Map(stored.map((line) => [line.kpi_line_id, line]));
    const lines: ApplicationLine[] = catalogue.filter((line) => byLine.has(line.id)).map((line) => toLine(line, byLine.get(line.id)!));
    const priorities = Object.fromEntries(storedPriorities);
    const stimuli: Stimuli = {
      cooperation: a.cooperation_stimulus,
      mentorship: a.mentorship_action || a.mentorship_motivation ? { actionNumber: a.mentorship_action ?? 0, motivation: a.mentorship_motivation ?? '' } : null,
      impactBond: a.impact_bond
        ? {
            expertise: a.impact_bond_expertise ?? '',
            problem: a.impact_bond_problem ?? '',
            actionNumbers: parseArray(a.impact_bond_actions),
            learningNetwork: a.impact_bond_learning_network,
          }
        : null,
    };
    const { allowed: cooperationStimulusAllowed, reason: cooperationStimulusReason } = (context.cooperation ??= await this.cooperationStimulusAllowed(
      manager,
      applicant,
      call,
      members.filter((m) => m.state === 'member').map((m) => m.localGovernmentId),
    ));
    const amounts: StimulusAmounts = {
      cooperationCents: call.cooperationStimulusCents,
      mentorshipCents: call.mentorshipStimulusCents,
      impactBondCents: call.impactBondStimulusCents,
    };
    const draft = checkDraft(
      {
        lines: lines.map((l) => ({ kpiLineId: l.id, currentReach: l.currentReach, plannedReach: l.plannedReach })),
        priorities: Object.entries(priorities).map(([actionNumber, priority]) => ({ actionNumber, priority })),
        ...stimuliInput(stimuli),
      },
      lines,
      cooperationStimulusAllowed,
      cooperationStimulusReason,
    );
    const confirmedLines = lines.some((l) => l.confirmedQuantity !== null) ? sumCents(lines.map((l) => l.confirmedContributionCents ?? 0)) : null;
    const stimulusDecisions = Object.fromEntries(
      STIMULI.map((spec) => [
        spec.kind,
        {
          requested: spec.requested(stimuli),
          granted: a[`${spec.column}_granted`],
          refusalReason: a[`${spec.column}_refusal_reason`],
          grantedCents: nullableNumber(a[`${spec.column}_granted_cents`]),
        },
      ]),
    ) as Record<StimulusKind, StimulusDecision>;
    const extendedUntil = (a.deadline_extended_until as Date | null) ?? null;
    const granted = sumCents(Object.values(stimulusDecisions).map((d) => (d.granted ? (d.grantedCents ?? 0) : 0)));
    return {
      id: a.id,
      applicantId: a.applicant_id,
      applicantNameNl: applicant.nameNl,
      applicantKind: applicant.kind,
      leadLocalGovernmentId: applicant.leadLocalGovernmentId,
      callId: a.call_id,
      callYear: call.yearNumber,
      callNameNl: call.nameNl,
      status: a.status as Status,
      version: a.version,
      lines,
      priorities,
      stimuli,
      stimulusAmounts: amounts,
      cooperationStimulusAllowed,
      cooperationStimulusReason,
      totals: totals(lines, stimuli, amounts),
      stimulusDecisions,
      confirmedLinesCents: confirmedLines,
      confirmedTotalCents: confirmedLines === null ? null : confirmedLines + granted,
      incomplete: { ...draft.incomplete, ...draft.errors },
      window: this.window(call.submissionOpensAt, extendedUntil && extendedUntil > call.submissionClosesAt ? extendedUntil : call.submissionClosesAt),
      submittedAt: (a.submitted_at as Date | null) ?? null,
      decidedAt: (a.decided_at as Date | null) ?? null,
      decisionReason: (a.decision_reason as string | null) ?? null,
      deadlineExtensionReason: (a.deadline_extension_reason as string | null) ?? null,
      previousApplicationId: (a.previous_application_id as number | null) ?? null,
    };
  }

  transition(
    actor: Actor,
    id: number,
    version: number,
    transition: Transition,
    apply: (manager: EntityManager, before: Application) => Promise<void>,
    /** Runs in the same transaction after the step, with the application after it (its notices). */
    written?: (manager: EntityManager, after: Application, before: Application) => Promise<void>,
  ): Promise<Application> {
    let previous: Application;
    return this.change(
      actor,
      id,
      version,
      transition,
      async (manager, before) => {
        const refusal = transitionRefusal(transition, before.status, actor.role);
        if (refusal) throw refusal;
        previous = before;
        await apply(manager, before);
        await this.repository.setColumns(manager, id, { status: TRANSITIONS[transition].to });
      },
      written && ((manager, after) => written(manager, after, previous)),
    );
  }

  /**
   * One change under the application's version (409 when stale), audited before → after in the same transaction.
   * When `apply` answers false it wrote nothing, and nothing more is written: no new version, no audit row.
   */
  change(
    actor: Actor,
    id: number,
    version: number,
    action: string,
    apply: (manager: EntityManager, before: Application) => Promise<void | boolean>,
    /** Runs in the same transaction once something was written, with the application after the change. */
    written?: (manager: EntityManager, after: Application) => Promise<void>,
  ): Promise<Application> {
    return inTransaction(this.dataSource, async (manager) => {
      const expected = checkedVersion(version);
      let wrote = true;
      // What a change cannot alter (applicant, members, call, catalogue) is read once, by the load before it.
      const context: Partial<LoadContext> = {};
      const record: VersionedRecord<Application> = {
        table: 'application',
        entityType: 'application',
        what: 'Deze aanvraag',
        load: (m, applicationId) => this.loadIfExists(m, applicationId, context),
        loadLocked: (m, applicationId) => this.loadIfExists(m, applicationId, context, 'for-update'),
        snapshot: summary,
        // Every local government on the applicant (invited ones too) reads the application's audit entries.
        owners: () => context.members!.map((m) => m.localGovernmentId),
      };
      const { after, changed } = await changeVersioned(
        manager,
        this.audit,
        actor,
        record,
        id,
        expected,
        async (before) => {
          wrote = (await apply(manager, before)) !== false;
          return {};
        },
        action,
        { childRowsChanged: () => wrote },
      );
      if (changed && written) await written(manager, after);
      return after;
    });
  }

  /** Every local government on the applicant (invited ones too) reads the application's audit entries. */
  owners(manager: EntityManager, application: Application): Promise<number[]> {
    return this.applicantFacts.memberLocalGovernmentIds(manager, application.applicantId, 'all');
  }

  /** Contact and payout account are part of a valid submission. */
  private window(opensAt: Date, closesAt: Date): SubmissionWindow {
    const now = this.clock.now();
    const open = now >= opensAt && now <= closesAt;
    const period = `van ${formatBrussels(opensAt)} tot ${formatBrussels(closesAt)} (Brusselse tijd)`;
    return { opensAt, closesAt, open, message: open ? `Indienen kan ${period}.` : `Indienen kan enkel ${period}; nu is het ${formatBrussels(now)}.` };
  }

  /** The facts the cooperation stimulus rule (`cooperationStimulus`, libs/applicants) decides on. */
  private async cooperationStimulusAllowed(
    manager: EntityManager,
    applicant: ApplicantFacts,
    call: Call,
    memberIds: number[],
  ): Promise<CooperationStimulusVerdict> {
    const continuation = applicant.carriedOverFromId !== null;
    let newcomers: string[] = [];
    if (applicant.carriedOverFromId !== null && (applicant.kind === 'cooperation' || applicant.kind === 'de-rand')) {
      const earlier = new Set(await this.applicantFacts.memberLocalGovernmentIds(manager, applicant.carriedOverFromId, 'members'));
      newcomers = (
        await this.organisations.names(
          manager,
          memberIds.filter((lgId) => !earlier.has(lgId)),
        )
      ).map((m) => m.nameNl);
    }
    const basis = { referenceYear: call.statisticsReferenceYear, originDefinition: call.originDefinition };
    const members =
      applicant.kind === 'cooperation'
        ? (await this.organisations.facts(manager, memberIds, basis, 'name')).map((m) => ({ id: m.id, nameNl: m.nameNl, residents: m.residents }))
        : [];
    return cooperationStimulus({ applicant: { ...applicant, continuation }, call, members, newcomers });
  }
}

function stimuliInput(stimuli: Stimuli): Pick<DraftInput, 'cooperationStimulus' | 'mentorship' | 'impactBond'> {
  return { cooperationStimulus: stimuli.cooperation, mentorship: stimuli.mentorship, impactBond: stimuli.impactBond };
}

function toLine(k: CatalogueLineView, r: StoredLine): ApplicationLine {
  return {
    id: k.id,
    actionNumber: k.actionNumber,
    position: k.position,
    unitNl: k.unitNl,
    maxQuantity: k.maxQuantity,
    unitAmountCents: k.unitAmountCents,
    objectiveCode: k.objectiveCode,
    actionTitleNl: k.actionTitleNl,
    currentReach: r.current_reach,
    plannedReach: r.planned_reach,
    contributionCents: Number(r.contribution_cents),
    confirmedQuantity: r.confirmed_quantity,
    confirmedContributionCents: nullableNumber(r.confirmed_contribution_cents),
    reviewComment: r.review_comment,
    reductionReason: r.reduction_reason ?? null,
    interimRealised: r.interim_realised,
    interimFromReport: r.interim_from_report === true,
    positiveEvaluation: r.positive_evaluation,
    extensionOverrideReason: r.extension_override_reason,
  };
}

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function parseArray(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(Number);
  return typeof value === 'string' ? value.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number) : [];
}

export function summary(application: Application) {
  return {
    status: application.status,
    totals: application.totals,
    lines: application.lines
      .filter((l) => l.plannedReach > 0 || l.confirmedQuantity !== null)
      // The action and unit name the line in the readable history ("Gepland bereik, actie 5 (volwassen anderstaligen)").
      .map((l) => ({ kpiLine: l.id, action: l.actionNumber, unit: l.unitNl, planned: l.plannedReach, confirmed: l.confirmedQuantity })),
    priorities: application.priorities,
  };
}
