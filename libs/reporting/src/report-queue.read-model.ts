import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApprovedCommitments } from '@ps/applications';
import { ApplicantReadModel } from '@ps/applicants';
import { Call, CatalogueLineView, CatalogueRepository } from '@ps/catalogue';
import { NotFound } from '@ps/kernel';
import { OrganisationReadModel } from '@ps/organisations';
import { ReportKind, ReportStatus } from './report.dto';
import { belowThreshold, motivationRequired } from './reporting-rules';
import { ReportsRepository } from './reports.repository';

/** One report in ABB's review queue. */
export interface ReportQueueItem {
  applicationId: number;
  applicantNameNl: string;
  callYear: number;
  kind: ReportKind;
  submittedAt: Date | null;
  late: boolean;
  province: string | null;
  actionNumbers: number[];
  /** Lines below the interim threshold (25 %). */
  belowThreshold: number;
  /** Lines with a motivation ABB has not accepted (yet). */
  motivationPending: number;
}

/**
 * Issue 28: ABB's review queue without a full report view per report, in a number of queries that does not grow with
 * the queue: the reports with their stored lines (one query on this lib's tables), the applications with their confirmed
 * lines (one, ApprovedCommitments), per call in the queue its settings and KPI lines (two, CatalogueRepository), the
 * applicants and their lead's province (one each, their libs' read models). The application and call tables belong to
 * other libs, so the 25 % comparison is not joined into SQL here: each line is counted with the report view's own
 * rules (`belowThreshold`, i.e. `reachesInterimThreshold`: realised × 100 < confirmed × threshold, and
 * `motivationRequired`), on the same figures.
 */
@Injectable()
export class ReportQueueReadModel {
  constructor(
    private readonly repository: ReportsRepository,
    private readonly commitments: ApprovedCommitments,
    private readonly catalogue: CatalogueRepository,
    private readonly applicants: ApplicantReadModel,
    private readonly organisations: OrganisationReadModel,
  ) {}

  /** The reports of these kinds and statuses, oldest submission first (then by id), as queue items. */
  async items(manager: EntityManager, kinds: ReportKind[], statuses: ReportStatus[]): Promise<ReportQueueItem[]> {
    const rows = await this.repository.queueWithLines(manager, kinds, statuses);
    if (rows.length === 0) return [];
    const applications = new Map(
      (await this.commitments.confirmedOf(manager, [...new Set(rows.map((row) => row.application_id))])).map((a) => [a.applicationId, a]),
    );
    // As the report view: only an approved application has reports.
    for (const row of rows) {
      if (applications.get(row.application_id)?.status !== 'goedgekeurd')
        throw new NotFound(applications.has(row.application_id) ? 'Enkel een goedgekeurde aanvraag heeft rapporten.' : undefined);
    }
    const calls = new Map<number, { call: Call; lines: Map<number, CatalogueLineView & { order: number }> }>();
    for (const callId of new Set([...applications.values()].map((a) => a.callId))) {
      const call = (await this.catalogue.callById(manager, callId))!;
      const lines = (await this.catalogue.lineViews(manager, callId)).map((line, order) => [line.id, { ...line, order }] as const);
      calls.set(callId, { call, lines: new Map(lines) });
    }
    const facts = await this.applicants.facts(manager, [...new Set([...applications.values()].map((a) => a.applicantId))]);
    const applicants = new Map(facts.map((a) => [a.id, a]));
    const provinces = await this.organisations.provinces(manager, [...new Set(facts.map((a) => a.leadLocalGovernmentId))]);

    return rows.map((row) => {
      const application = applications.get(row.application_id)!;
      const { call, lines: catalogue } = calls.get(application.callId)!;
      const applicant = applicants.get(application.applicantId);
      const stored = new Map(row.lines.map((line) => [line[0], line]));
      const lines = application.lines
        .filter((line) => catalogue.has(line.kpiLineId))
        .map((line) => {
          const view = catalogue.get(line.kpiLineId)!;
          const mine = stored.get(line.kpiLineId);
          const realised = mine?.[1] ?? null;
          return {
            order: view.order,
            actionNumber: view.actionNumber,
            below: belowThreshold(line.confirmedQuantity, realised, call.interimThresholdPercent),
            pending:
              motivationRequired({ unitNl: view.unitNl, actionTitleNl: view.actionTitleNl, confirmedQuantity: line.confirmedQuantity }, realised) &&
              !(mine?.[2] ?? false),
          };
        })
        .sort((a, b) => a.order - b.order);
      return {
        applicationId: row.application_id,
        applicantNameNl: applicant?.nameNl ?? '',
        callYear: call.yearNumber,
        kind: row.kind,
        submittedAt: row.submitted_at,
        late: row.late,
        province: applicant ? (provinces.get(applicant.leadLocalGovernmentId) ?? null) : null,
        actionNumbers: [...new Set(lines.map((line) => line.actionNumber))],
        belowThreshold: lines.filter((line) => line.below).length,
        motivationPending: lines.filter((line) => line.pending).length,
      };
    });
  }
}
