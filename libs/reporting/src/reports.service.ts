import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ProposalsService, SettlementService, SettlementStatement } from '@ps/allocation';
import { Application, ApplicationsService } from '@ps/applications';
import { ApplicantReadModel, UploadedFile } from '@ps/applicants';
import { AuditService } from '@ps/audit';
import { Call, CatalogueRepository } from '@ps/catalogue';
import { inTransaction } from '@ps/database';
import { Actor } from '@ps/identity';
import { Clock, Conflict, FieldErrors, NotFound, Refusal, StaleVersion } from '@ps/kernel';
import { REPORT_KINDS, ReportDraftDto, ReportKind, ReportLineDto, ReviewDto } from './report.dto';
import { ReportLineView, ReportState, ReportView } from './report-view';
import { ReportNotices } from './report-notices';
import { ReportQueueItem, ReportQueueReadModel } from './report-queue.read-model';
import { belowThreshold, motivationRequired, realisationPercent, REPORT_KIND_NL, reportOpen, submissionProblems } from './reporting-rules';
import { LineChange, ReportLineRow, ReportRow, ReportsRepository } from './reports.repository';

export type { ReportQueueItem } from './report-queue.read-model';

const EDITABLE = new Set(['draft', 'returned']);

/**
 * Interim and final KPI reports of approved applications: the officer drafts and submits before the call's
 * deadline (afterwards only while ABB has reopened the report, and then marked late); ABB accepts, accepts a
 * motivation, or returns it with comments. An accepted interim report feeds the 25 % rule of the carry-over;
 * an accepted final report records the final results and closes the settlement (balance or recovery).
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: ReportsRepository,
    private readonly applications: ApplicationsService,
    private readonly applicants: ApplicantReadModel,
    private readonly catalogue: CatalogueRepository,
    private readonly queueReadModel: ReportQueueReadModel,
    private readonly settlements: SettlementService,
    private readonly proposals: ProposalsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly notices: ReportNotices,
  ) {}

  view(applicationId: number, kind: ReportKind, manager: EntityManager = this.dataSource.manager): Promise<ReportView> {
    return this.viewIn(manager, applicationId, kind, {});
  }

  /**
   * Where each report of an application stands, as its view would say, in one statement: for an application already
   * read and its call. Nothing for an application that is not approved (it has no reports).
   */
  async states(application: Application, call: Call): Promise<ReportState[]> {
    if (application.status !== 'goedgekeurd') return [];
    const rows = new Map((await this.repository.statesOf(this.dataSource.manager, application.id)).map((row) => [row.kind, row]));
    const now = this.clock.now();
    return REPORT_KINDS.map((kind) => stateOf(kind, rows.get(kind) ?? null, call, now));
  }

  /**
   * `known` keeps the application and its call from the view before a report change for the view after it: no report
   * change alters the application's confirmed lines or the call, so they are read once per change.
   */
  private async viewIn(
    manager: EntityManager,
    applicationId: number,
    kind: ReportKind,
    known: { application?: Application; call?: Call },
  ): Promise<ReportView> {
    const application = (known.application ??= await this.approved(applicationId, manager));
    const call = (known.call ??= (await this.catalogue.callByYear(manager, application.callYear))!);
    const row = await this.repository.find(manager, applicationId, kind);
    const stored = new Map((row ? await this.repository.linesOf(manager, row.id) : []).map((line) => [line.kpi_line_id, line]));
    const evidence = row ? await this.repository.evidenceOf(manager, row.id) : [];
    return {
      applicationId,
      applicantId: application.applicantId,
      applicantNameNl: application.applicantNameNl,
      callYear: application.callYear,
      ...stateOf(kind, row, call, this.clock.now()),
      version: row?.version ?? 1,
      submittedAt: row?.submitted_at ?? null,
      late: row?.late ?? false,
      reviewComment: row?.review_comment ?? null,
      lines: confirmedLines(application).map((line) => ({
        ...lineView(line, stored.get(line.id) ?? null, call.interimThresholdPercent),
        evidence: evidence.filter((e) => e.kpi_line_id === line.id).map((e) => ({ id: e.id, filename: e.filename, sizeBytes: e.size_bytes })),
      })),
    };
  }

  /** `whenStale` says what to refuse when the version is old (a workbook names what changed since its download). */
  async saveDraft(
    actor: Actor,
    applicationId: number,
    kind: ReportKind,
    input: ReportDraftDto,
    options: { whenStale?: (now: ReportView) => Refusal } = {},
  ): Promise<ReportView> {
    return this.change(
      actor,
      applicationId,
      kind,
      input.version,
      'report-saved',
      async (manager, row, before) => {
        const changes = lineChanges(before, input.lines);
        if (changes.length === 0) return null;
        await this.repository.saveLines(manager, row.id, changes);
        await this.repository.update(manager, row.id, {});
        return { lines: changes };
      },
      options,
    );
  }

  async submit(actor: Actor, applicationId: number, kind: ReportKind, version: number): Promise<ReportView> {
    return this.change(actor, applicationId, kind, version, 'report-submitted', async (manager, row, before) => {
      const problems = submissionProblems(before.lines);
      if (Object.keys(problems).length > 0) throw new FieldErrors(problems);
      const now = this.clock.now();
      const late = before.dueAt !== null && now > before.dueAt;
      await this.repository.update(manager, row.id, { status: 'submitted', submitted_at: now, late });
      await this.notices.submitted(manager, row.id, row.version, before, now, late);
      return { status: 'submitted', late };
    });
  }

  /** An evidence file (PDF, PNG or JPEG, at most 5 MB, 10 per line) for a line of an open report. */
  async addEvidence(actor: Actor, applicationId: number, kind: ReportKind, kpiLineId: number, file: UploadedFile | undefined): Promise<ReportView> {
    const checked = checkedEvidence(file);
    return this.change(actor, applicationId, kind, await this.versionOf(applicationId, kind), 'report-evidence-added', async (manager, row, before) => {
      if (!before.lines.some((line) => line.kpiLineId === kpiLineId)) throw new NotFound('Deze KPI-lijn is niet bevestigd in deze aanvraag.');
      if ((await this.repository.countEvidence(manager, row.id, kpiLineId)) >= MAX_EVIDENCE_PER_LINE) {
        throw new FieldErrors({ [`evidence-${kpiLineId}`]: [`Hoogstens ${MAX_EVIDENCE_PER_LINE} bewijsstukken per KPI.`] });
      }
      const sha256 = createHash('sha256').update(checked.content).digest('hex');
      await this.repository.insertEvidence(manager, { reportId: row.id, kpiLineId, ...checked, sha256, uploadedBy: actor.label });
      await this.repository.update(manager, row.id, {});
      return { kpiLineId, filename: checked.filename, sha256 };
    });
  }

  /** One evidence file of the application's report, to download. */
  async evidenceFile(applicationId: number, kind: ReportKind, id: number): Promise<{ filename: string; contentType: string; content: Buffer }> {
    const manager = this.dataSource.manager;
    await this.approved(applicationId, manager);
    const row = await this.repository.find(manager, applicationId, kind);
    const file = row && (await this.repository.evidenceFile(manager, row.id, id));
    if (!file) throw new NotFound('Dit bewijsstuk bestaat niet.');
    return { filename: file.filename, contentType: file.content_type, content: Buffer.from(file.content) };
  }

  private async versionOf(applicationId: number, kind: ReportKind): Promise<number> {
    return (await this.repository.find(this.dataSource.manager, applicationId, kind))?.version ?? 1;
  }

  /** ABB lets one applicant submit after the deadline, until `until`, with a reason (audited). */
  async reopen(actor: Actor, applicationId: number, kind: ReportKind, version: number, until: Date, reason: string): Promise<ReportView> {
    if (until <= this.clock.now()) throw new FieldErrors({ until: ['Kies een moment in de toekomst.'] });
    if (!reason.trim()) throw new FieldErrors({ reason: ['Geef een reden.'] });
    return this.change(
      actor,
      applicationId,
      kind,
      version,
      'report-reopened',
      async (manager, row) => {
        if (!EDITABLE.has(row.status)) throw new Conflict(`Dit ${REPORT_KIND_NL[kind]} is al ingediend; stuur het terug om wijzigingen toe te laten.`);
        await this.repository.update(manager, row.id, { reopened_until: until });
        return { reopenedUntil: until.toISOString(), reason: reason.trim() };
      },
      { allowClosed: true },
    );
  }

  /** ABB's review of a submitted report: accept (with accepted motivations) or return it with comments. */
  async review(actor: Actor, applicationId: number, kind: ReportKind, input: ReviewDto): Promise<ReportView> {
    return inTransaction(this.dataSource, async (manager) => {
      const row = await this.repository.lockOrCreate(manager, applicationId, kind);
      if (row.version !== input.version) throw new StaleVersion('Het rapport');
      if (row.status !== 'submitted') throw new Conflict(`Enkel een ingediend ${REPORT_KIND_NL[kind]} wordt beoordeeld.`);
      const known: { application?: Application } = {};
      const before = await this.viewIn(manager, applicationId, kind, known);
      const lines = reviewedLines(before, input);
      const comment = input.comment?.trim() || null;
      if (input.decision === 'return' && !comment && lines.every((l) => !l.comment)) {
        throw new FieldErrors({ comment: ['Geef aan wat de aanvrager moet aanpassen.'] });
      }
      await this.repository.reviewLines(manager, row.id, lines);
      const status = input.decision === 'accept' ? 'accepted' : 'returned';
      await this.repository.update(manager, row.id, { status, review_comment: comment, reviewed_by_label: actor.label, reviewed_at: this.clock.now() });
      if (status === 'accepted') await this.followAcceptance(manager, actor, before, lines);
      await this.record(manager, actor, before, `report-${status}`, { kind, comment, lines });
      const after = await this.viewIn(manager, applicationId, kind, known);
      await this.notices.reviewed(manager, row.id, known.application!, after);
      return after;
    });
  }

  /**
   * What accepting a final report would settle, before anything is recorded: the statement on the report's quantities,
   * the accepted motivations waiving their lines' reclaim. Null for an interim report, a return, or before the call's
   * allocation is published. The page asks for a confirmation first when it leads to a reclaim.
   */
  async acceptancePreview(applicationId: number, kind: ReportKind, input: ReviewDto): Promise<SettlementStatement | null> {
    if (kind !== 'final' || input.decision !== 'accept') return null;
    const report = await this.viewIn(this.dataSource.manager, applicationId, kind, {});
    const accepted = new Map(reviewedLines(report, input).map((line) => [line.kpiLineId, line.motivationAccepted]));
    return this.settlements.preview(
      applicationId,
      report.lines.map((line) => ({ kpiLineId: line.kpiLineId, realisedQuantity: line.realisedQuantity ?? 0, waived: accepted.get(line.kpiLineId) === true })),
    );
  }

  /** ABB's review queue: submitted reports, oldest first, filtered by kind, year, lateness, the 25 % flag, pending motivations, action and province. */
  async queue(filter: ReportQueueFilter): Promise<ReportQueueItem[]> {
    const items = await this.queueReadModel.items(this.dataSource.manager, filter.kind ? [filter.kind] : ['interim', 'final'], ['submitted']);
    return items.filter((item) => matches(item, filter));
  }

  /** Acceptance has consequences: the interim report feeds the carry-over; the final report settles the balance. */
  private async followAcceptance(manager: EntityManager, actor: Actor, report: ReportView, lines: ReviewedLine[]): Promise<void> {
    const realised = report.lines.map((line) => ({ kpiLineId: line.kpiLineId, realisedQuantity: line.realisedQuantity ?? 0 }));
    if (report.kind === 'interim') {
      await this.applications.recordInterimFromReport(manager, report.applicationId, realised);
      return;
    }
    const accepted = new Map(lines.map((line) => [line.kpiLineId, line]));
    // A waiver above the call's threshold waits for a second ABB person (four eyes); its approval closes the settlement.
    let waitsForApproval = false;
    for (const line of realised) {
      const review = accepted.get(line.kpiLineId);
      const waived = review?.motivationAccepted === true;
      const recorded = await this.proposals.recordResultIn(
        manager,
        actor,
        report.applicationId,
        line.kpiLineId,
        {
          realisedQuantity: line.realisedQuantity,
          waived,
          reason: waived ? review?.comment || 'Motivering aanvaard bij de beoordeling van het eindrapport.' : undefined,
        },
        true,
      );
      waitsForApproval ||= recorded.proposal !== null;
    }
    if (!waitsForApproval) await this.settlements.settleIn(manager, actor, report.applicationId);
  }

  /**
   * One change of the report in a transaction: the report locked (created as a draft when new), the version checked,
   * open for the officer (unless `allowClosed`), the change applied (it moves the version on) and audited.
   */
  private async change(
    actor: Actor,
    applicationId: number,
    kind: ReportKind,
    version: number,
    action: string,
    apply: (manager: EntityManager, row: ReportRow, before: ReportView) => Promise<object | null>,
    options: { allowClosed?: boolean; whenStale?: (now: ReportView) => Refusal } = {},
  ): Promise<ReportView> {
    return inTransaction(this.dataSource, async (manager) => {
      const row = await this.repository.lockOrCreate(manager, applicationId, kind);
      if (row.version !== version)
        throw options.whenStale ? options.whenStale(await this.viewIn(manager, applicationId, kind, {})) : new StaleVersion('Het rapport');
      const known = {};
      const before = await this.viewIn(manager, applicationId, kind, known);
      if (!options.allowClosed && !before.open) throw new Conflict(closedMessage(before));
      const after = await apply(manager, row, before);
      if (after === null) return before; // nothing changed, nothing written
      await this.record(manager, actor, before, action, { kind, ...after });
      return this.viewIn(manager, applicationId, kind, known);
    });
  }

  private async record(manager: EntityManager, actor: Actor, report: ReportView, action: string, after: object): Promise<void> {
    const members = await this.applicants.membersWithState(manager, report.applicantId);
    await this.audit.record(manager, actor, {
      entityType: 'application',
      entityId: report.applicationId,
      action,
      after,
      ownerLocalGovernmentIds: members.filter((m) => m.state === 'member').map((m) => m.localGovernmentId),
    });
  }

  private async approved(applicationId: number, manager: EntityManager): Promise<Application> {
    const application = await this.applications.get(applicationId, manager);
    if (application.status !== 'goedgekeurd') throw new NotFound('Enkel een goedgekeurde aanvraag heeft rapporten.');
    return application;
  }
}

export interface ReportQueueFilter {
  kind?: ReportKind;
  year?: number;
  late?: boolean;
  belowThreshold?: boolean;
  motivationPending?: boolean;
  action?: number;
  province?: string;
}

function matches(item: ReportQueueItem, filter: ReportQueueFilter): boolean {
  return (
    (filter.year === undefined || item.callYear === filter.year) &&
    (filter.late !== true || item.late) &&
    (filter.belowThreshold !== true || item.belowThreshold > 0) &&
    (filter.motivationPending !== true || item.motivationPending > 0) &&
    (filter.action === undefined || item.actionNumbers.includes(filter.action)) &&
    (filter.province === undefined || item.province === filter.province)
  );
}

interface ReviewedLine {
  kpiLineId: number;
  motivationAccepted: boolean;
  comment: string | null;
}

export const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024;
const MAX_EVIDENCE_PER_LINE = 10;
/** The file types accepted as evidence, recognised by their first bytes (never by the name or the browser's word). */
const EVIDENCE_TYPES: { contentType: string; magic: number[] }[] = [
  { contentType: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { contentType: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { contentType: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
];

function checkedEvidence(file: UploadedFile | undefined): { filename: string; contentType: string; content: Buffer } {
  if (!file || file.size === 0) throw new FieldErrors({ evidence: ['Kies een bestand (PDF, PNG of JPEG).'] });
  if (file.size > MAX_EVIDENCE_BYTES) throw new FieldErrors({ evidence: ['Het bestand is groter dan 5 MB.'] });
  const type = EVIDENCE_TYPES.find((t) => t.magic.every((byte, i) => file.buffer[i] === byte));
  if (!type) throw new FieldErrors({ evidence: ['Enkel PDF-, PNG- en JPEG-bestanden zijn toegestaan.'] });
  // Multer hands over the name's UTF-8 bytes read as Latin-1; read them as what browsers send.
  return { filename: safeFilename(Buffer.from(file.originalname, 'latin1').toString('utf8')), contentType: type.contentType, content: file.buffer };
}

/** The last part of a path ("../../etc/passwd" → "passwd"), without control or unusual characters, at most 150 long. */
export function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base
    .replace(/[^\p{L}\p{N}._\- ()]+/gu, '_')
    .replace(/^[.\s]+/, '')
    .slice(-150);
  return clean || 'bewijsstuk';
}

function dueOf(call: Call, kind: ReportKind): Date | null {
  return kind === 'interim' ? call.interimReportDueAt : call.finalReportDueAt;
}

/** A report's state: a report not yet started is an open draft until its deadline. */
function stateOf(kind: ReportKind, row: Pick<ReportRow, 'status' | 'reopened_until'> | null, call: Call, now: Date): ReportState {
  const status = row?.status ?? 'draft';
  const dueAt = dueOf(call, kind);
  const reopenedUntil = row?.reopened_until ?? null;
  return { kind, status, dueAt, open: EDITABLE.has(status) && reportOpen(now, dueAt, reopenedUntil), reopenedUntil };
}

function closedMessage(report: ReportView): string {
  if (!EDITABLE.has(report.status)) return `Dit ${REPORT_KIND_NL[report.kind]} is al ingediend.`;
  return `De termijn voor dit ${REPORT_KIND_NL[report.kind]} is verstreken. Vraag ABB om het rapport te heropenen.`;
}

const confirmedLines = (application: Application) => application.lines.filter((line) => (line.confirmedQuantity ?? 0) > 0);

function lineView(line: Application['lines'][number], stored: ReportLineRow | null, thresholdPercent: number): Omit<ReportLineView, 'evidence'> {
  const realised = stored?.realised_quantity ?? null;
  const confirmed = line.confirmedQuantity ?? 0;
  const facts = { unitNl: line.unitNl, actionTitleNl: line.actionTitleNl, confirmedQuantity: confirmed };
  return {
    kpiLineId: line.id,
    actionNumber: line.actionNumber,
    actionTitleNl: line.actionTitleNl,
    unitNl: line.unitNl,
    confirmedQuantity: confirmed,
    realisedQuantity: realised,
    approach: stored?.approach ?? '',
    partners: stored?.partners ?? '',
    motivation: stored?.motivation ?? '',
    realisationPercent: realisationPercent(confirmed, realised),
    belowThreshold: belowThreshold(confirmed, realised, thresholdPercent),
    motivationRequired: motivationRequired(facts, realised),
    motivationAccepted: stored?.motivation_accepted ?? false,
    reviewComment: stored?.review_comment ?? null,
  };
}

/** The lines the draft changes; a line of another application is refused on its own field. */
function lineChanges(report: ReportView, input: ReportLineDto[]): LineChange[] {
  const current = new Map(report.lines.map((line) => [line.kpiLineId, line]));
  const unknown = input.filter((line) => !current.has(line.kpiLineId));
  if (unknown.length > 0) {
    throw new FieldErrors(Object.fromEntries(unknown.map((line) => [`line-${line.kpiLineId}`, ['Deze KPI-lijn is niet bevestigd in deze aanvraag.']])));
  }
  return input
    .map((line) => {
      const was = current.get(line.kpiLineId)!;
      return {
        kpiLineId: line.kpiLineId,
        realisedQuantity: line.realisedQuantity === undefined ? was.realisedQuantity : line.realisedQuantity,
        approach: line.approach ?? was.approach,
        partners: line.partners ?? was.partners,
        motivation: line.motivation ?? was.motivation,
      };
    })
    .filter((line) => {
      const was = current.get(line.kpiLineId)!;
      return (
        was.realisedQuantity !== line.realisedQuantity || was.approach !== line.approach || was.partners !== line.partners || was.motivation !== line.motivation
      );
    });
}

function reviewedLines(report: ReportView, input: ReviewDto): ReviewedLine[] {
  const known = new Set(report.lines.map((line) => line.kpiLineId));
  const given = new Map((input.lines ?? []).map((line) => [line.kpiLineId, line]));
  const unknown = [...given.keys()].filter((id) => !known.has(id));
  if (unknown.length > 0) throw new FieldErrors(Object.fromEntries(unknown.map((id) => [`line-${id}`, ['Deze KPI-lijn hoort niet bij dit rapport.']])));
  return report.lines.map((line) => ({
    kpiLineId: line.kpiLineId,
    motivationAccepted: given.get(line.kpiLineId)?.motivationAccepted === true,
    comment: given.get(line.kpiLineId)?.comment?.trim() || null,
  }));
}
