import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ApplicantReadModel } from '@ps/applicants';
import { AuditService } from '@ps/audit';
import { CatalogueRepository } from '@ps/catalogue';
import { inTransaction } from '@ps/database';
import { Actor, waiverNeedsSecondPerson } from '@ps/identity';
import { Cents, Conflict, FieldErrors, formatEuro, NotFound } from '@ps/kernel';
import { balanceAfterReclaim, CallReclaimRule, paymentReference, ReclaimLine, settlementReclaim } from '@ps/payments';
import { ResultDto } from './allocation.dto';
import { AllocationRepository } from './allocation.repository';
import { AllocationNotices } from './allocation-notices';
import { AllocationService, PublishedShare, ShareLine } from './allocation.service';
import { ProposalsRepository } from './proposals.repository';
import { ResultRow, SettlementRepository } from './settlement.repository';

export interface SettlementLine extends ShareLine, Omit<ReclaimLine, 'kpiLineId'> {
  /** Null until ABB records the final realised quantity. */
  realisedQuantity: number | null;
  waiverReason: string | null;
}

/** The balance of an approved application after its final report: what the applicant sees, line by line. */
export interface SettlementStatement {
  applicationId: number;
  runId: number;
  rule: { kind: string; tolerancePercent: number };
  lines: SettlementLine[];
  /** Every confirmed line has its realised quantity; only then can ABB close the settlement. */
  complete: boolean;
  allocatedCents: Cents;
  advanceCents: Cents;
  reclaimCents: Cents;
  balanceCents: Cents;
  toPayCents: Cents;
  toRecoverCents: Cents;
  settled: { at: Date; by: string } | null;
  /** Waivers above the call's threshold that wait for a second ABB person. */
  pendingWaivers: { proposalId: number; kpiLineId: number; waivedCents: Cents; proposedBy: string; proposedAt: Date }[];
}

/** What waiving a line's reclaim would forgo, and what it rests on (for a four-eyes proposal). */
export interface WaiverCheck {
  runId: number;
  applicantNameNl: string;
  actionNumber: number;
  allocatedCents: Cents;
  /** The reclaim the waiver forgoes at the given realised quantity. */
  waivedCents: Cents;
  thresholdCents: Cents;
  reason: string;
  inputs: Record<string, unknown>;
}

/**
 * The balance or reclaim of an approved application: ABB records the final realised quantity per confirmed KPI line
 * (until the final reports of the KPI reporting feed it) and may waive a line's reclaim with a reason; the call's
 * reclaim rule computes the rest. Closing the settlement orders the balance payment or the recovery, once.
 */
@Injectable()
export class SettlementService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SettlementRepository,
    private readonly allocationRepository: AllocationRepository,
    private readonly allocation: AllocationService,
    private readonly catalogue: CatalogueRepository,
    private readonly applicants: ApplicantReadModel,
    private readonly audit: AuditService,
    private readonly proposals: ProposalsRepository,
    private readonly notices: AllocationNotices,
  ) {}

  /** The statement, or null before the call's allocation is published (there is nothing to settle yet). */
  async statementIfPublished(applicationId: number): Promise<SettlementStatement | null> {
    return (await this.allocation.publishedShareOf(applicationId)) ? this.statement(applicationId) : null;
  }

  /** ABB's to-do: the statements with every line recorded that nobody closed yet (results recorded by hand). */
  async readyToClose(): Promise<SettlementStatement[]> {
    const manager = this.dataSource.manager;
    const statements: SettlementStatement[] = [];
    for (const id of await this.repository.unsettledWithResults(manager)) {
      const statement = await this.statement(id, manager);
      if (statement.complete && !statement.settled) statements.push(statement);
    }
    return statements;
  }

  async statement(applicationId: number, manager: EntityManager = this.dataSource.manager): Promise<SettlementStatement> {
    const share = await this.publishedShare(applicationId, manager);
    const results = new Map((await this.repository.resultsOf(manager, applicationId)).map((r) => [r.kpi_line_id, r]));
    return this.compose(manager, share, results);
  }

  /**
   * What the settlement would come to on these results, before anything is recorded (the confirmation before a final
   * report's acceptance); null before the call's allocation is published.
   */
  async preview(applicationId: number, results: { kpiLineId: number; realisedQuantity: number; waived: boolean }[]): Promise<SettlementStatement | null> {
    const manager = this.dataSource.manager;
    const share = await this.allocation.publishedShareOf(applicationId, manager);
    if (!share) return null;
    const rows = results.map(
      (r): ResultRow => ({ kpi_line_id: r.kpiLineId, realised_quantity: r.realisedQuantity, waiver_reason: r.waived ? 'kwijtgescholden' : null }) as ResultRow,
    );
    return this.compose(manager, share, new Map(rows.map((row) => [row.kpi_line_id, row])));
  }

  private async compose(manager: EntityManager, share: PublishedShare, results: Map<number, ResultRow>): Promise<SettlementStatement> {
    const applicationId = share.applicationId;
    const call = (await this.catalogue.callByYear(manager, share.callYear))!;
    const rule: CallReclaimRule = { kind: call.reclaimRule === 'none' ? 'none' : 'pro-rata', tolerancePercent: call.reclaimTolerancePercent };
    const lines = share.lines.map((line) => settlementLine(line, results.get(line.kpiLineId) ?? null, rule));
    const reclaimCents = lines.reduce((sum, line) => sum + line.reclaimCents, 0);
    const settled = await this.repository.settlementOf(manager, applicationId);
    const pendingWaivers = (await this.proposals.about(manager, { applicationId }))
      .filter((p) => p.state === 'pending')
      .map((p) => ({
        proposalId: p.id,
        kpiLineId: p.kpi_line_id!,
        waivedCents: (p.totals as { amountCents: Cents }).amountCents,
        proposedBy: p.proposed_by_label,
        proposedAt: p.proposed_at,
      }));
    return {
      applicationId,
      runId: share.runId,
      rule,
      lines,
      complete: lines.every((line) => line.realisedQuantity !== null),
      allocatedCents: share.allocatedCents,
      advanceCents: share.advanceCents,
      reclaimCents,
      ...balanceAfterReclaim(share.allocatedCents, share.advanceCents, reclaimCents),
      settled: settled && { at: settled.settled_at, by: settled.settled_by_label },
      pendingWaivers,
    };
  }

  async recordResult(actor: Actor, applicationId: number, kpiLineId: number, input: ResultDto): Promise<SettlementStatement> {
    return inTransaction(this.dataSource, (manager) => this.recordResultIn(manager, actor, applicationId, kpiLineId, input));
  }

  /** In the caller's transaction: for the acceptance of a final report, which records every line and closes the settlement at once. */
  /**
   * `approved`: the four-eyes proposal a second ABB person approved. Without it, a waiver that forgoes more than the
   * call's threshold is refused here, whoever calls (ProposalsService proposes it instead).
   */
  async recordResultIn(
    manager: EntityManager,
    actor: Actor,
    applicationId: number,
    kpiLineId: number,
    input: ResultDto,
    approved?: { id: number; proposedBy: string },
  ): Promise<SettlementStatement> {
    const waiverReason = waiverOf(input);
    await this.repository.lock(manager, applicationId);
    const share = await this.openShare(manager, applicationId);
    if (!share.lines.some((line) => line.kpiLineId === kpiLineId)) throw new NotFound('Deze KPI-lijn is niet bevestigd in deze aanvraag.');
    if (waiverReason !== null && !approved) {
      const waiver = await this.waiverCheck(manager, applicationId, kpiLineId, input);
      if (waiverNeedsSecondPerson(waiver.waivedCents, waiver.thresholdCents)) {
        throw new Conflict(`Een kwijtschelding van ${formatEuro(waiver.waivedCents)} vraagt de goedkeuring van een tweede persoon van ABB.`);
      }
    }
    const before = (await this.repository.resultsOf(manager, applicationId)).find((r) => r.kpi_line_id === kpiLineId);
    await this.repository.saveResult(manager, applicationId, kpiLineId, input.realisedQuantity, waiverReason, actor.label);
    await this.audit.record(manager, actor, {
      entityType: 'application',
      entityId: applicationId,
      action: 'final-result-recorded',
      before: before ? { kpiLineId, realisedQuantity: before.realised_quantity, waiverReason: before.waiver_reason } : null,
      after: {
        kpiLineId,
        realisedQuantity: input.realisedQuantity,
        waiverReason,
        ...(approved ? { proposalId: approved.id, proposedBy: approved.proposedBy, approvedBy: actor.label } : {}),
      },
      ownerLocalGovernmentIds: await this.owners(manager, share),
    });
    return this.statement(applicationId, manager);
  }

  /**
   * What waiving the line's reclaim at this realised quantity forgoes, against the call's threshold, and what it rests
   * on: the line as confirmed and allocated, its recorded result and whether the settlement is closed.
   */
  async waiverCheck(manager: EntityManager, applicationId: number, kpiLineId: number, input: ResultDto): Promise<WaiverCheck> {
    const reason = waiverOf(input) ?? '';
    const share = await this.publishedShare(applicationId, manager);
    const line = share.lines.find((l) => l.kpiLineId === kpiLineId);
    if (!line) throw new NotFound('Deze KPI-lijn is niet bevestigd in deze aanvraag.');
    const call = (await this.catalogue.callByYear(manager, share.callYear))!;
    const rule: CallReclaimRule = { kind: call.reclaimRule === 'none' ? 'none' : 'pro-rata', tolerancePercent: call.reclaimTolerancePercent };
    const recorded = (await this.repository.resultsOf(manager, applicationId)).find((r) => r.kpi_line_id === kpiLineId) ?? null;
    const unwaived = settlementLine(line, { kpi_line_id: kpiLineId, realised_quantity: input.realisedQuantity, waiver_reason: null } as ResultRow, rule);
    return {
      runId: share.runId,
      applicantNameNl: share.applicantNameNl,
      actionNumber: line.actionNumber,
      allocatedCents: line.allocatedCents,
      waivedCents: unwaived.reclaimCents,
      thresholdCents: call.waiverApprovalThresholdCents,
      reason,
      inputs: {
        line: [line.confirmedQuantity, line.allocatedCents],
        recorded: recorded && [recorded.realised_quantity, recorded.waiver_reason],
        settled: (await this.repository.settlementOf(manager, applicationId)) !== null,
      },
    };
  }

  /** Closes the settlement: exactly once, with every line recorded; orders the balance payment or the recovery. */
  async settle(actor: Actor, applicationId: number): Promise<SettlementStatement> {
    return inTransaction(this.dataSource, (manager) => this.settleIn(manager, actor, applicationId));
  }

  async settleIn(manager: EntityManager, actor: Actor, applicationId: number): Promise<SettlementStatement> {
    await this.repository.lock(manager, applicationId);
    const share = await this.openShare(manager, applicationId);
    const statement = await this.statement(applicationId, manager);
    if (statement.pendingWaivers.length > 0) {
      throw new Conflict('Een kwijtschelding van deze afrekening wacht nog op een tweede persoon van ABB: keur ze eerst goed of trek ze in.');
    }
    const missing = statement.lines.filter((line) => line.realisedQuantity === null);
    if (missing.length > 0) {
      throw new Conflict(`Het gerealiseerde aantal ontbreekt nog voor ${missing.length} KPI-lijn(en): ${missing.map((l) => l.kpiLineId).join(', ')}.`);
    }
    await this.repository.insertSettlement(manager, {
      applicationId,
      runId: share.runId,
      allocatedCents: statement.allocatedCents,
      advanceCents: statement.advanceCents,
      reclaimCents: statement.reclaimCents,
      balanceCents: statement.balanceCents,
      detail: { rule: statement.rule, lines: statement.lines },
      settledBy: actor.label,
    });
    await this.orderPayment(manager, share, statement);
    await this.audit.record(manager, actor, {
      entityType: 'application',
      entityId: applicationId,
      action: 'settled',
      after: { reclaimCents: statement.reclaimCents, balanceCents: statement.balanceCents },
      ownerLocalGovernmentIds: await this.owners(manager, share),
    });
    const settled = await this.statement(applicationId, manager);
    const call = (await this.catalogue.callByYear(manager, share.callYear))!;
    await this.notices.settled(manager, { ...share, callNameNl: call.nameNl }, { ...settled, settledAt: settled.settled!.at });
    return settled;
  }

  private async orderPayment(manager: EntityManager, share: PublishedShare, statement: SettlementStatement): Promise<void> {
    const kind = statement.toPayCents > 0 ? 'balance' : statement.toRecoverCents > 0 ? 'recovery' : null;
    if (!kind) return;
    const [facts] = await this.applicants.facts(manager, [share.applicantId]);
    await this.allocationRepository.insertPayments(manager, share.runId, [
      {
        applicantId: share.applicantId,
        kind,
        amountCents: kind === 'balance' ? statement.toPayCents : statement.toRecoverCents,
        payoutIban: facts?.confirmedPayoutIban ?? null,
        reference: paymentReference(share.callYear, share.applicantId, kind),
      },
    ]);
  }

  private async publishedShare(applicationId: number, manager: EntityManager): Promise<PublishedShare> {
    const share = await this.allocation.publishedShareOf(applicationId, manager);
    if (!share) throw new Conflict('Een afrekening bestaat pas na de gepubliceerde verdeling van de oproep.');
    return share;
  }

  private async openShare(manager: EntityManager, applicationId: number): Promise<PublishedShare> {
    const share = await this.publishedShare(applicationId, manager);
    if (await this.repository.settlementOf(manager, applicationId)) throw new Conflict('De afrekening van deze aanvraag is al afgesloten.');
    return share;
  }

  private async owners(manager: EntityManager, share: PublishedShare): Promise<number[]> {
    return (await this.applicants.membersWithState(manager, share.applicantId)).filter((m) => m.state === 'member').map((m) => m.localGovernmentId);
  }
}

function waiverOf(input: ResultDto): string | null {
  if (input.waived !== true) return null;
  const reason = input.reason?.trim() ?? '';
  if (reason === '') throw new FieldErrors({ reason: ['Geef de reden waarom u de terugvordering van deze lijn kwijtscheldt.'] });
  return reason;
}

function settlementLine(line: ShareLine, result: ResultRow | null, rule: CallReclaimRule): SettlementLine {
  const realised = result?.realised_quantity ?? null;
  const waiverReason = result?.waiver_reason ?? null;
  const computed = settlementReclaim(
    {
      kpiLineId: line.kpiLineId,
      confirmedQuantity: line.confirmedQuantity,
      realisedQuantity: realised,
      allocatedCents: line.allocatedCents,
      waived: waiverReason !== null,
    },
    rule,
  );
  return { ...line, ...computed, kpiLineId: line.kpiLineId, realisedQuantity: realised, waiverReason };
}
