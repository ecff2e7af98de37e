import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@ps/database';
import { ApplicantLock, ApplicantsService, hasLetterFor } from '@ps/applicants';
import { AuditService } from '@ps/audit';
import { Actor } from '@ps/identity';
import { Cents, checkedVersion, Clock, FieldErrors, formatBrussels, NotFound, StaleVersion, sumCents } from '@ps/kernel';
import { CatalogueLine, checkDraft, DraftInput, Stimuli, StimulusAmounts, totals, Totals } from './application-rules';
import { isEditable, mayExtend, Status, STATUS_LABELS_NL, Transition, TRANSITIONS, transitionRefusal } from './workflow';

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
  interimRealised: number | null;
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

export interface QueueFilter {
  year?: number;
  status?: Status;
  objective?: string;
  province?: string;
  onlyForLocalGovernmentId?: number;
}

export interface QueueItem {
  id: number;
  applicantNameNl: string;
  callNameNl: string;
  status: Status;
  provinceNl: string | null;
  flemishContributionCents: Cents;
  submittedAt: Date | null;
}

export type StimulusKind = 'cooperation' | 'mentorship' | 'impactBond';

export interface StimulusDecision {
  requested: boolean;
  /** null: not decided (not requested, or not approved yet). */
  granted: boolean | null;
  refusalReason: string | null;
  grantedCents: Cents | null;
}

/**
 * Approval: every requested KPI line confirmed explicitly (0 up to the requested reach), nothing else;
 * every requested stimulus granted or refused with a reason.
 */
export interface ApprovalInput {
  version: number;
  confirmed: { kpiLineId: unknown; quantity: unknown }[];
  stimuli?: Partial<Record<StimulusKind, { granted?: unknown; reason?: unknown } | null>>;
}

const STIMULI: { kind: StimulusKind; column: string; field: string; nameNl: string; requested: (s: Stimuli) => boolean; amount: (a: StimulusAmounts) => Cents | null }[] = [
  { kind: 'cooperation', column: 'cooperation_stimulus', field: 'stimulus-cooperation', nameNl: 'samenwerkingsstimulans', requested: (s) => s.cooperation, amount: (a) => a.cooperationCents },
  { kind: 'mentorship', column: 'mentorship_stimulus', field: 'stimulus-mentorship', nameNl: 'mentorschapsstimulans', requested: (s) => !!s.mentorship, amount: (a) => a.mentorshipCents },
  { kind: 'impactBond', column: 'impact_bond_stimulus', field: 'stimulus-impact-bond', nameNl: 'sociale impact obligatie', requested: (s) => !!s.impactBond, amount: (a) => a.impactBondCents },
];

/** Days a reopened application gets to be resubmitted, counted from the reopening. */
export const REOPEN_DAYS = 7;

@Injectable()
export class ApplicationsService implements ApplicantLock {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly applicants: ApplicantsService,
    private readonly clock: Clock,
  ) {}

  /** The local governments whose officers may see the application, or null if there is none. */
  async memberLocalGovernmentIds(applicationId: number): Promise<number[] | null> {
    const [row] = await this.dataSource.query(`SELECT applicant_id FROM application WHERE id = $1`, [applicationId]);
    return row ? this.applicants.memberLocalGovernmentIds(row.applicant_id) : null;
  }

  async idFor(applicantId: number): Promise<number | null> {
    const [row] = await this.dataSource.query(`SELECT id FROM application WHERE applicant_id = $1`, [applicantId]);
    return row?.id ?? null;
  }

  get(id: number): Promise<Application> {
    return this.load(this.dataSource.manager, id);
  }

  /** ApplicantLock: from submission until ABB reopens or returns it, the applicant's composition and account are frozen. */
  async lockedStatus(manager: EntityManager, applicantId: number): Promise<{ status: string; labelNl: string } | null> {
    // FOR SHARE: a submission running at the same time is waited for, not overlooked.
    const [row] = await manager.query(`SELECT status FROM application WHERE applicant_id = $1 FOR SHARE`, [applicantId]);
    return row && !isEditable(row.status) ? { status: row.status, labelNl: STATUS_LABELS_NL[row.status as Status] } : null;
  }

  /** Opens the applicant's draft for its call; a later year starts from the previous year's confirmed commitments that may extend. */
  start(actor: Actor, applicantId: number): Promise<Application> {
    return inTransaction(this.dataSource, async (manager) => {
      const [applicant] = await manager.query(
        `SELECT a.id, a.call_id, a.lead_local_government_id, a.carried_over_from_id, c.catalogue_version, c.interim_threshold_percent, c.year_number
           FROM applicant a JOIN call c ON c.id = a.call_id WHERE a.id = $1`,
        [applicantId],
      );
      if (!applicant) throw new NotFound();
      const previous = await this.previousApproved(manager, applicant);
      const [created] = await manager.query(
        `INSERT INTO application (applicant_id, call_id, catalogue_version, previous_application_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (applicant_id, call_id) DO NOTHING RETURNING id`,
        [applicantId, applicant.call_id, applicant.catalogue_version, previous?.id ?? null],
      );
      if (!created) throw new ConflictException({ statusCode: 409, message: 'Deze projectindiener heeft al een aanvraag voor dit projectjaar.' });
      await manager.query(
        `INSERT INTO application_line (application_id, kpi_line_id) SELECT $1, id FROM kpi_line WHERE call_id = $2`,
        [created.id, applicant.call_id],
      );
      if (previous) await this.carryOver(manager, created.id, previous.id, applicant.interim_threshold_percent);
      const application = await this.load(manager, created.id);
      await this.audit.record(manager, actor, { entityType: 'application', entityId: created.id, action: 'created', after: summary(application), ownerLocalGovernmentIds: await this.owners(manager, created.id) });
      return application;
    });
  }

  /** Saves a draft at any time; input that can never be valid is refused per field and nothing is saved. */
  saveDraft(actor: Actor, id: number, version: number, input: DraftInput): Promise<Application> {
    return this.change(actor, id, version, 'draft-saved', async (manager, before) => {
      if (!isEditable(before.status)) throw new ConflictException({ statusCode: 409, message: `Een aanvraag met status "${before.status}" kan niet meer gewijzigd worden.` });
      const draft = checkDraft(input, before.lines, before.cooperationStimulusAllowed, before.cooperationStimulusReason);
      if (Object.keys(draft.errors).length > 0) throw new FieldErrors(draft.errors);
      for (const line of draft.lines) {
        await manager.query(
          `UPDATE application_line SET current_reach = $3, planned_reach = $4, contribution_cents = $5 WHERE application_id = $1 AND kpi_line_id = $2`,
          [id, line.kpiLineId, line.currentReach, line.plannedReach, line.contributionCents],
        );
      }
      await manager.query(`DELETE FROM application_action WHERE application_id = $1`, [id]);
      for (const [action, priority] of draft.priorities) {
        await manager.query(`INSERT INTO application_action (application_id, action_number, priority) VALUES ($1, $2, $3)`, [id, action, priority]);
      }
      const { cooperation, mentorship, impactBond } = draft.stimuli;
      await manager.query(
        `UPDATE application SET cooperation_stimulus = $2, mentorship_action = $3, mentorship_motivation = $4, impact_bond = $5,
           impact_bond_expertise = $6, impact_bond_problem = $7, impact_bond_actions = $8, impact_bond_learning_network = $9 WHERE id = $1`,
        [id, cooperation, mentorship?.actionNumber || null, mentorship?.motivation || null, !!impactBond, impactBond?.expertise || null, impactBond?.problem || null,
          impactBond?.actionNumbers ?? [], impactBond?.learningNetwork ?? false],
      );
    });
  }

  /** Submission by an officer of the lead, within the window (Brussels time) unless the application was sent back. */
  submit(actor: Actor, id: number, version: number): Promise<Application> {
    return this.transition(actor, id, version, 'submit', async (manager, before) => {
      if (actor.localGovernmentId !== before.leadLocalGovernmentId) {
        throw new ForbiddenException({ statusCode: 403, message: 'Enkel een medewerker van de trekker dient de aanvraag in.' });
      }
      if (before.status === 'concept' && !before.window.open) throw new ConflictException({ statusCode: 409, message: before.window.message, errors: { submit: [before.window.message] } });
      const missing = { ...before.incomplete, ...(await this.applicantIncomplete(manager, before.applicantId)) };
      if (Object.keys(missing).length > 0) throw new FieldErrors(missing);
      await manager.query(`UPDATE application SET submitted_at = $2 WHERE id = $1`, [id, this.clock.now()]);
    });
  }

  startReview(actor: Actor, id: number, version: number): Promise<Application> {
    return this.transition(actor, id, version, 'start-review', async () => undefined);
  }

  /**
   * Approval: a confirmed quantity for every requested KPI line and a decision on every requested stimulus,
   * with the applicant's eligibility checked again now. Anything else is refused per field and changes nothing.
   */
  approve(actor: Actor, id: number, input: ApprovalInput): Promise<Application> {
    return this.transition(actor, id, input.version, 'approve', async (manager, before) => {
      const lines = checkConfirmations(input.confirmed ?? [], before.lines);
      const stimuli = checkStimulusDecisions(input.stimuli ?? {}, before);
      const applicant = await this.applicants.get(before.applicantId, manager);
      const errors = { ...lines.errors, ...stimuli.errors };
      if (applicant && !applicant.eligibility.eligible) errors.eligibility = applicant.eligibility.reasons;
      if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
      for (const { line, quantity } of lines.confirmed) {
        await manager.query(`UPDATE application_line SET confirmed_quantity = $3, confirmed_contribution_cents = $4 WHERE application_id = $1 AND kpi_line_id = $2`, [
          id, line.id, quantity, quantity * line.unitAmountCents,
        ]);
      }
      for (const spec of STIMULI) {
        const d = stimuli.decisions[spec.kind];
        await manager.query(`UPDATE application SET ${spec.column}_granted = $2, ${spec.column}_refusal_reason = $3, ${spec.column}_granted_cents = $4 WHERE id = $1`, [
          id, d.granted, d.refusalReason, d.grantedCents,
        ]);
      }
      await manager.query(`UPDATE application SET decided_at = $2 WHERE id = $1`, [id, this.clock.now()]);
      await this.applicants.confirmPayoutAccountAtApproval(manager, before.applicantId);
    });
  }

  reject(actor: Actor, id: number, version: number, reason: string): Promise<Application> {
    const text = reason?.trim() ?? '';
    if (!text || text.length > 2500) return Promise.reject(new FieldErrors({ reason: ['Geef de reden van de afwijzing (hoogstens 2.500 tekens).'] }));
    return this.transition(actor, id, version, 'reject', async (manager) => {
      await manager.query(`UPDATE application SET decided_at = $2, decision_reason = $3 WHERE id = $1`, [id, this.clock.now(), text]);
    });
  }

  /** Sends the application back with comments per KPI line (and/or a general one); the applicant edits and resubmits. */
  sendBack(actor: Actor, id: number, version: number, general: string, perLine: { kpiLineId: number; comment: string }[]): Promise<Application> {
    const comments = perLine.map((c) => ({ ...c, comment: (c.comment ?? '').trim() })).filter((c) => c.comment);
    const errors: Record<string, string[]> = {};
    if (!general?.trim() && comments.length === 0) errors.reason = ['Geef minstens één opmerking, algemeen of bij een KPI-lijn.'];
    if ((general ?? '').length > 2500) errors.reason = ['De opmerking mag hoogstens 2.500 tekens hebben.'];
    for (const c of comments) if (c.comment.length > 1000) errors[`comment-${c.kpiLineId}`] = ['Een opmerking bij een KPI-lijn mag hoogstens 1.000 tekens hebben.'];
    if (Object.keys(errors).length > 0) return Promise.reject(new FieldErrors(errors));
    return this.transition(actor, id, version, 'return', async (manager, before) => {
      const unknown = comments.filter((c) => !before.lines.some((line) => line.id === c.kpiLineId));
      if (unknown.length > 0) throw new FieldErrors(Object.fromEntries(unknown.map((c) => [`comment-${c.kpiLineId}`, ['Deze KPI-lijn hoort niet bij deze aanvraag.']])));
      await manager.query(`UPDATE application_line SET review_comment = NULL WHERE application_id = $1`, [id]);
      for (const c of comments) await manager.query(`UPDATE application_line SET review_comment = $3 WHERE application_id = $1 AND kpi_line_id = $2`, [id, c.kpiLineId, c.comment]);
      await manager.query(`UPDATE application SET decision_reason = $2 WHERE id = $1`, [id, general?.trim() || null]);
    });
  }

  /** Exception: ABB reopens one applicant's submission (after the deadline too), with a reason. */
  reopen(actor: Actor, id: number, version: number, reason: string): Promise<Application> {
    const text = reason?.trim() ?? '';
    if (!text || text.length > 1000) return Promise.reject(new FieldErrors({ reason: ['Geef de reden voor het heropenen (hoogstens 1.000 tekens).'] }));
    return this.transition(actor, id, version, 'reopen', async (manager, before) => {
      // Reopening after the deadline would be pointless without time to resubmit: at least REOPEN_DAYS from now.
      const reopenedUntil = new Date(Math.max(before.window.closesAt.getTime(), this.clock.now().getTime() + REOPEN_DAYS * 86_400_000));
      await manager.query(
        `UPDATE application SET submitted_at = NULL, decided_at = NULL, deadline_extended_until = $3, deadline_extension_reason = $2 WHERE id = $1`,
        [id, text, reopenedUntil],
      );
    });
  }

  /** Exception: ABB extends the submission deadline for one applicant, with a reason. */
  extendDeadline(actor: Actor, id: number, version: number, until: Date, reason: string): Promise<Application> {
    const text = reason?.trim() ?? '';
    if (!text || text.length > 1000) return Promise.reject(new FieldErrors({ reason: ['Geef de reden voor de verlenging (hoogstens 1.000 tekens).'] }));
    return this.change(actor, id, version, 'deadline-extended', async (manager, before) => {
      if (until <= before.window.closesAt) throw new FieldErrors({ until: [`Kies een moment na de gewone termijn (${formatBrussels(before.window.closesAt)}).`] });
      await manager.query(`UPDATE application SET deadline_extended_until = $2, deadline_extension_reason = $3 WHERE id = $1`, [id, until, text]);
    });
  }

  /** ABB records the interim result or an evaluation of an approved line, which decides its extension into the next year. */
  recordEvaluation(actor: Actor, id: number, version: number, kpiLineId: number, evaluation: { interimRealised: number | null; positiveEvaluation: boolean; overrideReason: string | null }): Promise<Application> {
    return this.change(actor, id, version, 'line-evaluated', async (manager, before) => {
      if (before.status !== 'goedgekeurd' || !before.lines.some((l) => l.id === kpiLineId && l.confirmedQuantity !== null)) {
        throw new FieldErrors({ kpiLineId: ['Enkel een bevestigde KPI-lijn van een goedgekeurde aanvraag wordt geëvalueerd.'] });
      }
      await manager.query(
        `UPDATE application_line SET interim_realised = $3, positive_evaluation = $4, extension_override_reason = $5 WHERE application_id = $1 AND kpi_line_id = $2`,
        [id, kpiLineId, evaluation.interimRealised, evaluation.positiveEvaluation, evaluation.overrideReason?.trim() || null],
      );
    });
  }

  async queue(filter: QueueFilter): Promise<QueueItem[]> {
    const rows = await this.dataSource.query(
      `SELECT ap.id, a.name_nl AS applicant_name, c.name_nl AS call_name, ap.status, lg.province_nl, ap.submitted_at,
              (SELECT coalesce(sum(l.contribution_cents), 0) FROM application_line l WHERE l.application_id = ap.id) AS flemish
         FROM application ap JOIN applicant a ON a.id = ap.applicant_id JOIN call c ON c.id = ap.call_id
         JOIN local_government lg ON lg.id = a.lead_local_government_id
        WHERE ($1::integer IS NULL OR c.year_number = $1) AND ($2::text IS NULL OR ap.status = $2)
          AND ($3::text IS NULL OR lg.province_nl = $3)
          AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM application_line l JOIN kpi_line k ON k.id = l.kpi_line_id JOIN action act ON act.number = k.action_number
                                            WHERE l.application_id = ap.id AND l.planned_reach > 0 AND act.objective_code = $4))
          AND ($5::integer IS NULL OR EXISTS (SELECT 1 FROM applicant_member m WHERE m.applicant_id = a.id AND m.local_government_id = $5 AND m.state = 'member'))
        ORDER BY ap.submitted_at NULLS LAST, a.name_nl`,
      [filter.year ?? null, filter.status ?? null, filter.province ?? null, filter.objective ?? null, filter.onlyForLocalGovernmentId ?? null],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as number, applicantNameNl: r.applicant_name as string, callNameNl: r.call_name as string, status: r.status as Status,
      provinceNl: (r.province_nl as string | null) ?? null, flemishContributionCents: Number(r.flemish), submittedAt: (r.submitted_at as Date | null) ?? null,
    }));
  }

  private transition(actor: Actor, id: number, version: number, transition: Transition, apply: (manager: EntityManager, before: Application) => Promise<void>): Promise<Application> {
    return this.change(actor, id, version, transition, async (manager, before) => {
      const refusal = transitionRefusal(transition, before.status, actor.role);
      if (refusal) throw refusal.includes('rol') ? new ForbiddenException({ statusCode: 403, message: refusal }) : new ConflictException({ statusCode: 409, message: refusal });
      await apply(manager, before);
      await manager.query(`UPDATE application SET status = $2 WHERE id = $1`, [id, TRANSITIONS[transition].to]);
    });
  }

  /** One change under the application's version (409 when stale), audited before → after in the same transaction. */
  private change(actor: Actor, id: number, version: number, action: string, apply: (manager: EntityManager, before: Application) => Promise<void>): Promise<Application> {
    return inTransaction(this.dataSource, async (manager) => {
      const [bumped] = await manager.query(`UPDATE application SET version = version + 1 WHERE id = $1 AND version = $2 RETURNING id`, [id, checkedVersion(version)]);
      if (bumped.length === 0) {
        await this.load(manager, id);
        throw new StaleVersion('Deze aanvraag');
      }
      const before = await this.load(manager, id);
      await apply(manager, before);
      const after = await this.load(manager, id);
      await this.audit.record(manager, actor, { entityType: 'application', entityId: id, action, before: summary(before), after: summary(after), ownerLocalGovernmentIds: await this.owners(manager, id) });
      return after;
    });
  }

  private async owners(manager: EntityManager, id: number): Promise<number[]> {
    const rows: { local_government_id: number }[] = await manager.query(
      `SELECT m.local_government_id FROM application ap JOIN applicant_member m ON m.applicant_id = ap.applicant_id WHERE ap.id = $1`,
      [id],
    );
    return rows.map((r) => r.local_government_id);
  }

  /** Contact and payout account are part of a valid submission. */
  private async applicantIncomplete(manager: EntityManager, applicantId: number): Promise<Record<string, string[]>> {
    const applicant = await this.applicants.get(applicantId, manager);
    const missing: Record<string, string[]> = {};
    if (!applicant?.contact.name || !applicant.contact.email || !applicant.contact.phone) missing.contact = ['Vul de contactpersoon van de projectindiener in.'];
    if (!applicant?.contact.iban) missing.iban = ['Vul het rekeningnummer voor de uitbetaling in.'];
    if (applicant?.ibanLetterRequired && !(await hasLetterFor(manager, applicantId))) missing.iban = ['Voeg de ondertekende bevestigingsbrief voor dit rekeningnummer toe.'];
    const invited = applicant?.members.filter((m) => m.state === 'invited') ?? [];
    if (invited.length > 0) {
      missing.members = [`Nog niet bevestigd: ${invited.map((m) => m.nameNl).join(', ')}. Een lokaal bestuur neemt pas deel als een eigen medewerker (of ABB) de uitnodiging aanvaardt; trek de uitnodiging anders in.`];
    }
    if (applicant && !applicant.eligibility.eligible) missing.eligibility = applicant.eligibility.reasons;
    return missing;
  }

  private async previousApproved(manager: EntityManager, applicant: { id: number; lead_local_government_id: number; carried_over_from_id: number | null; year_number: number }) {
    const [previous] = await manager.query(
      `SELECT ap.id FROM application ap JOIN applicant a ON a.id = ap.applicant_id JOIN call c ON c.id = ap.call_id
        WHERE ap.status = 'goedgekeurd' AND c.year_number = $2 AND (a.id = $3 OR a.lead_local_government_id = $1)
        ORDER BY (a.id = $3) DESC LIMIT 1`,
      [applicant.lead_local_government_id, applicant.year_number - 1, applicant.carried_over_from_id ?? -1],
    );
    return previous as { id: number } | undefined;
  }

  /** Copies last year's confirmed quantities as planned reach for the lines that may extend (same action and position). */
  private async carryOver(manager: EntityManager, id: number, previousId: number, thresholdPercent: number) {
    const rows = await manager.query(
      `SELECT nk.id AS new_line, nk.unit_amount_cents, nk.max_quantity, l.confirmed_quantity, l.interim_realised, l.positive_evaluation, l.extension_override_reason
         FROM application_line l JOIN kpi_line k ON k.id = l.kpi_line_id
         JOIN application ap ON ap.id = $1
         JOIN kpi_line nk ON nk.call_id = ap.call_id AND nk.action_number = k.action_number AND nk.position = k.position
        WHERE l.application_id = $2 AND l.confirmed_quantity > 0`,
      [id, previousId],
    );
    for (const r of rows) {
      const extend = mayExtend({ confirmedQuantity: r.confirmed_quantity, interimRealised: r.interim_realised, positiveEvaluation: r.positive_evaluation, overrideReason: r.extension_override_reason }, thresholdPercent);
      if (!extend) continue;
      const planned = Math.min(r.confirmed_quantity, r.max_quantity);
      await manager.query(`UPDATE application_line SET planned_reach = $3, contribution_cents = $4 WHERE application_id = $1 AND kpi_line_id = $2`, [id, r.new_line, planned, planned * Number(r.unit_amount_cents)]);
    }
  }

  private async load(manager: EntityManager, id: number): Promise<Application> {
    const [a] = await manager.query(
      `SELECT ap.*, app.name_nl AS applicant_name, app.kind AS applicant_kind, app.lead_local_government_id, app.carried_over_from_id,
              c.year_number, c.name_nl AS call_name, c.submission_opens_at, c.submission_closes_at, c.eligibility_threshold,
              c.origin_definition, c.statistics_reference_year, c.cooperation_stimulus_cents, c.mentorship_stimulus_cents, c.impact_bond_stimulus_cents
         FROM application ap JOIN applicant app ON app.id = ap.applicant_id JOIN call c ON c.id = ap.call_id WHERE ap.id = $1`,
      [id],
    );
    if (!a) throw new NotFound();
    const lines: ApplicationLine[] = (await manager.query(
      `SELECT l.*, k.action_number, k.position, k.unit_nl, k.max_quantity, k.unit_amount_cents, act.objective_code, act.title_nl
         FROM application_line l JOIN kpi_line k ON k.id = l.kpi_line_id JOIN action act ON act.number = k.action_number JOIN objective o ON o.code = act.objective_code
        WHERE l.application_id = $1 ORDER BY o.position, k.action_number, k.position`,
      [id],
    )).map(toLine);
    const priorities = Object.fromEntries(
      (await manager.query(`SELECT action_number, priority FROM application_action WHERE application_id = $1`, [id])).map((r: { action_number: number; priority: number }) => [r.action_number, r.priority]),
    );
    const stimuli: Stimuli = {
      cooperation: a.cooperation_stimulus,
      mentorship: a.mentorship_action || a.mentorship_motivation ? { actionNumber: a.mentorship_action ?? 0, motivation: a.mentorship_motivation ?? '' } : null,
      impactBond: a.impact_bond ? { expertise: a.impact_bond_expertise ?? '', problem: a.impact_bond_problem ?? '', actionNumbers: parseArray(a.impact_bond_actions), learningNetwork: a.impact_bond_learning_network } : null,
    };
    const { allowed: cooperationStimulusAllowed, reason: cooperationStimulusReason } = await this.cooperationStimulusAllowed(manager, a);
    const amounts: StimulusAmounts = { cooperationCents: Number(a.cooperation_stimulus_cents), mentorshipCents: nullableNumber(a.mentorship_stimulus_cents), impactBondCents: nullableNumber(a.impact_bond_stimulus_cents) };
    const draft = checkDraft(
      { lines: lines.map((l) => ({ kpiLineId: l.id, currentReach: l.currentReach, plannedReach: l.plannedReach })), priorities: Object.entries(priorities).map(([actionNumber, priority]) => ({ actionNumber, priority })), ...stimuliInput(stimuli) },
      lines,
      cooperationStimulusAllowed,
      cooperationStimulusReason,
    );
    const confirmedLines = lines.some((l) => l.confirmedQuantity !== null) ? sumCents(lines.map((l) => l.confirmedContributionCents ?? 0)) : null;
    const stimulusDecisions = Object.fromEntries(STIMULI.map((spec) => [spec.kind, {
      requested: spec.requested(stimuli), granted: a[`${spec.column}_granted`], refusalReason: a[`${spec.column}_refusal_reason`], grantedCents: nullableNumber(a[`${spec.column}_granted_cents`]),
    }])) as Record<StimulusKind, StimulusDecision>;
    const granted = sumCents(Object.values(stimulusDecisions).map((d) => (d.granted ? d.grantedCents ?? 0 : 0)));
    return {
      id: a.id, applicantId: a.applicant_id, applicantNameNl: a.applicant_name, applicantKind: a.applicant_kind, leadLocalGovernmentId: a.lead_local_government_id,
      callId: a.call_id, callYear: a.year_number, callNameNl: a.call_name, status: a.status, version: a.version, lines, priorities, stimuli, stimulusAmounts: amounts, cooperationStimulusAllowed, cooperationStimulusReason,
      totals: totals(lines, stimuli, amounts), stimulusDecisions, confirmedLinesCents: confirmedLines, confirmedTotalCents: confirmedLines === null ? null : confirmedLines + granted, incomplete: { ...draft.incomplete, ...draft.errors },
      window: this.window(a.submission_opens_at, a.deadline_extended_until && a.deadline_extended_until > a.submission_closes_at ? a.deadline_extended_until : a.submission_closes_at),
      submittedAt: a.submitted_at, decidedAt: a.decided_at, decisionReason: a.decision_reason, deadlineExtensionReason: a.deadline_extension_reason, previousApplicationId: a.previous_application_id,
    };
  }

  private window(opensAt: Date, closesAt: Date): SubmissionWindow {
    const now = this.clock.now();
    const open = now >= opensAt && now <= closesAt;
    const period = `van ${formatBrussels(opensAt)} tot ${formatBrussels(closesAt)} (Brusselse tijd)`;
    return { opensAt, closesAt, open, message: open ? `Indienen kan ${period}.` : `Indienen kan enkel ${period}; nu is het ${formatBrussels(now)}.` };
  }

  /**
   * The cooperation stimulus (docs/eligibility.md): a cooperation whose lead alone has more than the call's
   * threshold and cooperates with smaller local governments (every other confirmed member has fewer residents than
   * the lead; an unknown figure is not smaller), or a continuation of an earlier applicant, De Rand
   * included, that took new local governments aboard. Answers whether it applies, and why, in Dutch.
   */
  private async cooperationStimulusAllowed(manager: EntityManager, a: Record<string, any>): Promise<{ allowed: boolean; reason: string }> {
    const figure = (n: number | null) => (n === null ? 'niet gekend' : new Intl.NumberFormat('nl-BE').format(n));
    const rule = `De samenwerkingsstimulans is voor een trekker met meer dan ${figure(a.eligibility_threshold)} inwoners van ${a.origin_definition}-herkomst (${a.statistics_reference_year}) ` +
      'die samenwerkt met kleinere lokale besturen uit de referentieregio, of voor een voortzetting die nieuwe lokale besturen aan boord neemt.';
    if (a.carried_over_from_id && (a.applicant_kind === 'cooperation' || a.applicant_kind === 'de-rand')) {
      const newcomers: { name_nl: string }[] = await manager.query(
        `SELECT lg.name_nl FROM applicant_member m JOIN local_government lg ON lg.id = m.local_government_id WHERE m.applicant_id = $1 AND m.state = 'member'
            AND NOT EXISTS (SELECT 1 FROM applicant_member old WHERE old.applicant_id = $2 AND old.local_government_id = m.local_government_id AND old.state = 'member')
          ORDER BY lg.name_nl`,
        [a.applicant_id, a.carried_over_from_id],
      );
      if (newcomers.length > 0) return { allowed: true, reason: `Deze voortzetting neemt nieuwe lokale besturen aan boord: ${newcomers.map((m) => m.name_nl).join(', ')}.` };
    }
    if (a.applicant_kind !== 'cooperation') {
      return { allowed: false, reason: `${rule} ${a.applicant_name} ${a.applicant_kind === 'de-rand' ? 'neemt geen nieuwe lokale besturen aan boord' : 'dient alleen in'}.` };
    }
    const members: { id: number; name_nl: string; residents: number | null }[] = (await manager.query(
      `SELECT lg.id, lg.name_nl, s.residents FROM applicant_member m JOIN local_government lg ON lg.id = m.local_government_id
         LEFT JOIN origin_statistic s ON s.local_government_id = lg.id AND s.reference_year = $2 AND s.origin_definition = $3
        WHERE m.applicant_id = $1 AND m.state = 'member' ORDER BY lg.name_nl`,
      [a.applicant_id, a.statistics_reference_year, a.origin_definition],
    )).map((m: { id: number; name_nl: string; residents: unknown }) => ({ ...m, residents: m.residents === null ? null : Number(m.residents) }));
    const lead = members.find((m) => m.id === a.lead_local_government_id);
    if (!lead || lead.residents === null) return { allowed: false, reason: `${rule} Het cijfer van de trekker is niet gekend.` };
    if (lead.residents <= a.eligibility_threshold) return { allowed: false, reason: `${rule} Trekker ${lead.name_nl} heeft er ${figure(lead.residents)}.` };
    const notSmaller = members.filter((m) => m !== lead && (m.residents === null || m.residents >= lead.residents!));
    if (notSmaller.length > 0) {
      return { allowed: false, reason: `${rule} Niet kleiner dan trekker ${lead.name_nl} (${figure(lead.residents)}): ${notSmaller.map((m) => `${m.name_nl} (${figure(m.residents)})`).join(', ')}.` };
    }
    return { allowed: true, reason: `Trekker ${lead.name_nl} heeft ${figure(lead.residents)} inwoners van ${a.origin_definition}-herkomst en werkt samen met kleinere lokale besturen.` };
  }
}

/** Every requested line (planned reach above 0) exactly once, from 0 to the requested reach; no other line. */
function checkConfirmations(given: ApprovalInput['confirmed'], lines: ApplicationLine[]) {
  const errors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const all = new Map(lines.map((line) => [line.id, line]));
  const confirmed = new Map<number, { line: ApplicationLine; quantity: number }>();
  for (const entry of given) {
    const id = Number(entry.kpiLineId);
    const line = all.get(id);
    const field = `confirmed-${String(entry.kpiLineId)}`;
    if (!line) add(field, `KPI-lijn ${String(entry.kpiLineId)} hoort niet bij deze aanvraag.`);
    else if (line.plannedReach === 0) add(field, `Voor actie ${line.actionNumber}, ${line.unitNl} werd niets gevraagd; bevestig enkel gevraagde KPI-lijnen.`);
    else if (confirmed.has(id)) add(field, `Actie ${line.actionNumber}, ${line.unitNl} staat meer dan één keer in de bevestiging; geef elke lijn één keer.`);
    else {
      const text = String(entry.quantity ?? '').trim();
      const quantity = /^\d{1,9}$/.test(text) ? Number(text) : null;
      if (quantity === null || quantity > line.plannedReach) add(field, `Bevestig een geheel getal van 0 tot ${line.plannedReach} (het gevraagde bereik).`);
      confirmed.set(id, { line, quantity: quantity ?? 0 });
    }
  }
  for (const line of lines) {
    if (line.plannedReach > 0 && !confirmed.has(line.id)) {
      add(`confirmed-${line.id}`, `Bevestig ook actie ${line.actionNumber}, ${line.unitNl}: een geheel getal van 0 tot ${line.plannedReach} (het gevraagde bereik).`);
    }
  }
  return { errors, confirmed: [...confirmed.values()] };
}

/** Each requested stimulus granted (at the call's amount, when it still applies) or refused with a reason; one not requested cannot be granted. */
function checkStimulusDecisions(given: NonNullable<ApprovalInput['stimuli']>, application: Application) {
  const errors: Record<string, string[]> = {};
  const decisions = {} as Record<StimulusKind, StimulusDecision>;
  for (const spec of STIMULI) {
    const raw = given[spec.kind] ?? null;
    const requested = spec.requested(application.stimuli);
    const granted = raw?.granted === true || raw?.granted === 'true' ? true : raw?.granted === false || raw?.granted === 'false' ? false : null;
    const reason = typeof raw?.reason === 'string' ? raw.reason.trim() : '';
    decisions[spec.kind] = { requested, granted: null, refusalReason: null, grantedCents: null };
    if (!requested) {
      if (granted) errors[spec.field] = [`De ${spec.nameNl} werd niet gevraagd en kan dus niet toegekend worden.`];
      continue;
    }
    const amount = spec.amount(application.stimulusAmounts);
    if (granted === null) errors[spec.field] = [`Beslis over de gevraagde ${spec.nameNl}: toekennen, of weigeren met een reden.`];
    else if (!granted && (!reason || reason.length > 1000)) errors[`${spec.field}-reason`] = [`Geef de reden waarom de ${spec.nameNl} geweigerd wordt (hoogstens 1.000 tekens).`];
    else if (granted && spec.kind === 'cooperation' && !application.cooperationStimulusAllowed) errors[spec.field] = [`De samenwerkingsstimulans kan niet toegekend worden. ${application.cooperationStimulusReason}`];
    else if (granted && amount === null) errors[spec.field] = [`Het bedrag van de ${spec.nameNl} is voor dit projectjaar niet vastgelegd; weiger ze met een reden.`];
    else decisions[spec.kind] = { requested, granted, refusalReason: granted ? null : reason, grantedCents: granted ? amount : null };
  }
  return { errors, decisions };
}

function stimuliInput(stimuli: Stimuli): Pick<DraftInput, 'cooperationStimulus' | 'mentorship' | 'impactBond'> {
  return { cooperationStimulus: stimuli.cooperation, mentorship: stimuli.mentorship, impactBond: stimuli.impactBond };
}

function toLine(r: Record<string, any>): ApplicationLine {
  return {
    id: r.kpi_line_id, actionNumber: r.action_number, position: r.position, unitNl: r.unit_nl, maxQuantity: r.max_quantity, unitAmountCents: Number(r.unit_amount_cents),
    objectiveCode: r.objective_code, actionTitleNl: r.title_nl, currentReach: r.current_reach, plannedReach: r.planned_reach, contributionCents: Number(r.contribution_cents),
    confirmedQuantity: r.confirmed_quantity, confirmedContributionCents: nullableNumber(r.confirmed_contribution_cents), reviewComment: r.review_comment,
    interimRealised: r.interim_realised, positiveEvaluation: r.positive_evaluation, extensionOverrideReason: r.extension_override_reason,
  };
}

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function parseArray(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(Number);
  return typeof value === 'string' ? value.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number) : [];
}

function summary(application: Application) {
  return {
    status: application.status,
    totals: application.totals,
    lines: application.lines.filter((l) => l.plannedReach > 0 || l.confirmedQuantity !== null).map((l) => ({ kpiLine: l.id, planned: l.plannedReach, confirmed: l.confirmedQuantity })),
    priorities: application.priorities,
  };
}
