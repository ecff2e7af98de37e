import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApplicantReadModel, ApplicantRegistrationService, ContactPayoutService } from '@ps/applicants';
import { CatalogueRepository, CatalogueService } from '@ps/catalogue';
import { Actor } from '@ps/identity';
import { Cents, Clock, FieldErrors, formatBrussels, Page, pageBounds, PageRequest, withTotal } from '@ps/kernel';
import { ApplicationsRepository } from './applications.repository';
import { ReviewQueueRepository } from './review-queue.repository';
import { Application, ApplicationLine, ApplicationRecords, STIMULI, StimulusDecision, StimulusKind } from './application-records';
import { Status } from './workflow';
import { ApplicationNotices } from './application-notices';

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

/**
 * Approval: every requested KPI line confirmed explicitly (0 up to the requested reach), nothing else;
 * every requested stimulus granted or refused with a reason.
 */
export interface ApprovalInput {
  version: number;
  /** `reason`: why less than the requested reach is confirmed, stated in the decision letter. */
  confirmed: { kpiLineId: unknown; quantity: unknown; reason?: unknown }[];
  stimuli?: Partial<Record<StimulusKind, { granted?: unknown; reason?: unknown } | null>>;
}

/** Days a reopened application gets to be resubmitted, counted from the reopening. */
export const REOPEN_DAYS = 7;

/** ABB's side of an application: the review queue, approval, rejection, sending back, reopening, extensions and evaluations. */
@Injectable()
export class ReviewService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly records: ApplicationRecords,
    private readonly repository: ApplicationsRepository,
    private readonly queueRows: ReviewQueueRepository,
    private readonly applicants: ApplicantRegistrationService,
    private readonly contactPayout: ContactPayoutService,
    private readonly applicantFacts: ApplicantReadModel,
    private readonly catalogue: CatalogueRepository,
    private readonly calls: CatalogueService,
    private readonly clock: Clock,
    private readonly notices: ApplicationNotices,
  ) {}

  /**
   * Approval: a confirmed quantity for every requested KPI line and a decision on every requested stimulus,
   * with the applicant's eligibility checked again now. Anything else is refused per field and changes nothing.
   */
  approve(actor: Actor, id: number, input: ApprovalInput): Promise<Application> {
    return this.records.transition(
      actor,
      id,
      input.version,
      'approve',
      async (manager, before) => {
        const lines = checkConfirmations(input.confirmed ?? [], before.lines);
        const stimuli = checkStimulusDecisions(input.stimuli ?? {}, before);
        const applicant = await this.applicants.get(before.applicantId, manager);
        const errors = { ...lines.errors, ...stimuli.errors };
        if (applicant && !applicant.eligibility.eligible) errors.eligibility = applicant.eligibility.reasons;
        if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
        for (const { line, quantity, reason } of lines.confirmed) {
          await this.repository.setLineColumns(manager, id, line.id, {
            confirmed_quantity: quantity,
            confirmed_contribution_cents: quantity * line.unitAmountCents,
            reduction_reason: quantity < line.plannedReach ? reason : null,
          });
        }
        for (const spec of STIMULI) {
          const d = stimuli.decisions[spec.kind];
          await this.repository.setColumns(manager, id, {
            [`${spec.column}_granted`]: d.granted,
            [`${spec.column}_refusal_reason`]: d.refusalReason,
            [`${spec.column}_granted_cents`]: d.grantedCents,
          });
        }
        await this.repository.setColumns(manager, id, { decided_at: this.clock.now() });
        await this.contactPayout.confirmPayoutAccountAtApproval(manager, before.applicantId);
      },
      (manager, after) => this.notices.approved(manager, after),
    );
  }

  reject(actor: Actor, id: number, version: number, reason: string): Promise<Application> {
    const text = reason?.trim() ?? '';
    if (!text || text.length > 2500) return Promise.reject(new FieldErrors({ reason: ['Geef de reden van de afwijzing (hoogstens 2.500 tekens).'] }));
    return this.records.transition(actor, id, version, 'reject', async (manager) => {
      await this.repository.setColumns(manager, id, { decided_at: this.clock.now(), decision_reason: text });
    });
  }

  /** Sends the application back with comments per KPI line (and/or a general one); the applicant edits and resubmits. */
  sendBack(actor: Actor, id: number, version: number, general: string, perLine: { kpiLineId: number; comment: string }[]): Promise<Application> {
    const comments = perLine.map((c) => ({ ...c, comment: (c.comment ?? '').trim() })).filter((c) => c.comment);
    const errors: Record<string, string[]> = {};
    if (!general?.trim() && comments.length === 0) errors.reason = ['Geef minstens één opmerking, algemeen of bij een KPI-lijn.'];
    if ((general ?? '').length > 2500) errors.reason = ['De opmerking mag hoogstens 2.500 tekens hebben.'];
    for (const c of comments)
      if (c.comment.length > 1000) errors[`comment-${c.kpiLineId}`] = ['Een opmerking bij een KPI-lijn mag hoogstens 1.000 tekens hebben.'];
    if (Object.keys(errors).length > 0) return Promise.reject(new FieldErrors(errors));
    return this.records.transition(
      actor,
      id,
      version,
      'return',
      async (manager, before) => {
        const unknown = comments.filter((c) => !before.lines.some((line) => line.id === c.kpiLineId));
        if (unknown.length > 0)
          throw new FieldErrors(Object.fromEntries(unknown.map((c) => [`comment-${c.kpiLineId}`, ['Deze KPI-lijn hoort niet bij deze aanvraag.']])));
        await this.repository.clearReviewComments(manager, id);
        for (const c of comments) await this.repository.setLineColumns(manager, id, c.kpiLineId, { review_comment: c.comment });
        await this.repository.setColumns(manager, id, { decision_reason: general?.trim() || null });
      },
      (manager, after) => this.notices.returned(manager, after),
    );
  }

  /** Exception: ABB reopens one applicant's submission (after the deadline too), with a reason. */
  reopen(actor: Actor, id: number, version: number, reason: string): Promise<Application> {
    const text = reason?.trim() ?? '';
    if (!text || text.length > 1000) return Promise.reject(new FieldErrors({ reason: ['Geef de reden voor het heropenen (hoogstens 1.000 tekens).'] }));
    return this.records.transition(
      actor,
      id,
      version,
      'reopen',
      async (manager, before) => {
        // Reopening after the deadline would be pointless without time to resubmit: at least REOPEN_DAYS from now.
        const reopenedUntil = new Date(Math.max(before.window.closesAt.getTime(), this.clock.now().getTime() + REOPEN_DAYS * 86_400_000));
        await this.repository.setColumns(manager, id, {
          submitted_at: null,
          decided_at: null,
          deadline_extended_until: reopenedUntil,
          deadline_extension_reason: text,
        });
      },
      (manager, after) => this.notices.windowChanged(manager, after, true),
    );
  }

  /** Exception: ABB extends the submission deadline for one applicant, with a reason. */
  extendDeadline(actor: Actor, id: number, version: number, until: Date, reason: string): Promise<Application> {
    const text = reason?.trim() ?? '';
    if (!text || text.length > 1000) return Promise.reject(new FieldErrors({ reason: ['Geef de reden voor de verlenging (hoogstens 1.000 tekens).'] }));
    return this.records.change(
      actor,
      id,
      version,
      'deadline-extended',
      async (manager, before) => {
        if (until <= before.window.closesAt)
          throw new FieldErrors({ until: [`Kies een moment na de gewone termijn (${formatBrussels(before.window.closesAt)}).`] });
        await this.repository.setColumns(manager, id, { deadline_extended_until: until, deadline_extension_reason: text });
      },
      (manager, after) => this.notices.windowChanged(manager, after, false),
    );
  }

  /** ABB records the interim result or an evaluation of an approved line, which decides its extension into the next year. */
  recordEvaluation(
    actor: Actor,
    id: number,
    version: number,
    kpiLineId: number,
    evaluation: { interimRealised: number | null; positiveEvaluation: boolean; overrideReason: string | null },
  ): Promise<Application> {
    return this.records.change(actor, id, version, 'line-evaluated', async (manager, before) => {
      const line = before.lines.find((l) => l.id === kpiLineId && l.confirmedQuantity !== null);
      if (before.status !== 'goedgekeurd' || !line) {
        throw new FieldErrors({ kpiLineId: ['Enkel een bevestigde KPI-lijn van een goedgekeurde aanvraag wordt geëvalueerd.'] });
      }
      if (line.interimFromReport && evaluation.interimRealised !== line.interimRealised && !evaluation.overrideReason?.trim()) {
        throw new FieldErrors({
          overrideReason: [`Het aanvaarde tussentijds rapport meldt ${line.interimRealised}. Geef een reden om dat aantal te overschrijven.`],
        });
      }
      await this.repository.setLineColumns(manager, id, kpiLineId, {
        interim_realised: evaluation.interimRealised,
        interim_from_report: line.interimFromReport && evaluation.interimRealised === line.interimRealised,
        positive_evaluation: evaluation.positiveEvaluation,
        extension_override_reason: evaluation.overrideReason?.trim() || null,
      });
    });
  }

  /** The review queue: oldest submission first, then by applicant name; filtered by year, status, objective, province and, for officers, their own. */
  async queue(filter: QueueFilter): Promise<QueueItem[]> {
    return this.queueItems(await this.queueInOrder(filter, 0, null).then((found) => found.rows));
  }

  /** One page of the review queue (the page and the API), cut in SQL: the contributions are summed for that page's applications only. */
  async queuePage(filter: QueueFilter, request: PageRequest = {}): Promise<Page<QueueItem>> {
    const { page, pageSize, offset, limit } = pageBounds(request);
    const { rows, total } = await this.queueInOrder(filter, offset, limit);
    return withTotal(await this.queueItems(rows), total, page, pageSize);
  }

  private async queueInOrder(
    filter: QueueFilter,
    offset: number,
    limit: number | null,
  ): Promise<{ rows: Omit<QueueItem, 'flemishContributionCents'>[]; total: number }> {
    const manager = this.dataSource.manager;
    const calls = await this.calls.listCalls();
    const call = filter.year === undefined ? null : calls.find((c) => c.yearNumber === filter.year);
    if (call === undefined) return { rows: [], total: 0 };
    const applicantIds = filter.onlyForLocalGovernmentId === undefined ? null : await this.applicantFacts.withMember(manager, filter.onlyForLocalGovernmentId);
    const kpiLineIds = filter.objective === undefined ? null : await this.catalogue.kpiLineIdsOf(manager, filter.objective);
    const found = await this.queueRows.page(
      manager,
      { callId: call?.id ?? null, status: filter.status ?? null, applicantIds, kpiLineIds, province: filter.province ?? null },
      offset,
      limit,
    );
    const callNames = new Map(calls.map((c) => [c.id, c.nameNl]));
    return {
      total: found.total,
      rows: found.rows.map((row) => ({
        id: row.id,
        applicantNameNl: row.applicant_name_nl,
        callNameNl: callNames.get(row.call_id)!,
        status: row.status as Status,
        provinceNl: row.province_nl ?? null,
        submittedAt: row.submitted_at ?? null,
      })),
    };
  }

  private async queueItems(rows: Omit<QueueItem, 'flemishContributionCents'>[]): Promise<QueueItem[]> {
    const contributions = await this.repository.contributions(
      this.dataSource.manager,
      rows.map((r) => r.id),
    );
    return rows.map(({ submittedAt, ...row }) => ({ ...row, flemishContributionCents: contributions.get(row.id) ?? 0, submittedAt }));
  }
}

/** Every requested line (planned reach above 0) exactly once, from 0 to the requested reach; no other line. */
function checkConfirmations(given: ApprovalInput['confirmed'], lines: ApplicationLine[]) {
  const errors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const all = new Map(lines.map((line) => [line.id, line]));
  const confirmed = new Map<number, { line: ApplicationLine; quantity: number; reason: string | null }>();
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
      const reason = entry.reason === undefined || entry.reason === null ? '' : entry.reason;
      if (typeof reason !== 'string' || reason.trim().length > 1000)
        add(`reduction-${id}`, 'Geef de reden van de vermindering als tekst van hoogstens 1.000 tekens.');
      confirmed.set(id, { line, quantity: quantity ?? 0, reason: typeof reason === 'string' && reason.trim() ? reason.trim() : null });
    }
  }
  for (const line of lines) {
    if (line.plannedReach > 0 && !confirmed.has(line.id)) {
      add(
        `confirmed-${line.id}`,
        `Bevestig ook actie ${line.actionNumber}, ${line.unitNl}: een geheel getal van 0 tot ${line.plannedReach} (het gevraagde bereik).`,
      );
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
    else if (!granted && (!reason || reason.length > 1000))
      errors[`${spec.field}-reason`] = [`Geef de reden waarom de ${spec.nameNl} geweigerd wordt (hoogstens 1.000 tekens).`];
    else if (granted && spec.kind === 'cooperation' && !application.cooperationStimulusAllowed)
      errors[spec.field] = [`De samenwerkingsstimulans kan niet toegekend worden. ${application.cooperationStimulusReason}`];
    else if (granted && amount === null)
      errors[spec.field] = [`Het bedrag van de ${spec.nameNl} is voor dit projectjaar niet vastgelegd; weiger ze met een reden.`];
    else decisions[spec.kind] = { requested, granted, refusalReason: granted ? null : reason, grantedCents: granted ? amount : null };
  }
  return { errors, decisions };
}
