import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ApplicantReadModel } from '@ps/applicants';
import { AuditService } from '@ps/audit';
import { CatalogueRepository } from '@ps/catalogue';
import { inTransaction } from '@ps/database';
import { Actor } from '@ps/identity';
import { Cents, Conflict, FieldErrors, NotFound } from '@ps/kernel';
import { balanceAfterReclaim, CallReclaimRule, paymentReference, ReclaimLine, settlementReclaim } from '@ps/payments';
import { ResultDto } from './allocation.dto';
import { AllocationRepository } from './allocation.repository';
import { AllocationService, PublishedShare, ShareLine } from './allocation.service';
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
  ) {}

  /** The statement, or null before the call's allocation is published (there is nothing to settle yet). */
  async statementIfPublished(applicationId: number): Promise<SettlementStatement | null> {
    return (await this.allocation.publishedShareOf(applicationId)) ? this.statement(applicationId) : null;
  }

  async statement(applicationId: number, manager: EntityManager = this.dataSource.manager): Promise<SettlementStatement> {
    const share = await this.publishedShare(applicationId, manager);
    const call = (await this.catalogue.callByYear(manager, share.callYear))!;
    const results = new Map((await this.repository.resultsOf(manager, applicationId)).map((r) => [r.kpi_line_id, r]));
    const rule: CallReclaimRule = { kind: call.reclaimRule === 'none' ? 'none' : 'pro-rata', tolerancePercent: call.reclaimTolerancePercent };
    const lines = share.lines.map((line) => settlementLine(line, results.get(line.kpiLineId) ?? null, rule));
    const reclaimCents = lines.reduce((sum, line) => sum + line.reclaimCents, 0);
    const settled = await this.repository.settlementOf(manager, applicationId);
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
    };
  }

  async recordResult(actor: Actor, applicationId: number, kpiLineId: number, input: ResultDto): Promise<SettlementStatement> {
    return inTransaction(this.dataSource, (manager) => this.recordResultIn(manager, actor, applicationId, kpiLineId, input));
  }

  /** In the caller's transaction: for the acceptance of a final report, which records every line and closes the settlement at once. */
  async recordResultIn(manager: EntityManager, actor: Actor, applicationId: number, kpiLineId: number, input: ResultDto): Promise<SettlementStatement> {
    const waiverReason = waiverOf(input);
    await this.repository.lock(manager, applicationId);
    const share = await this.openShare(manager, applicationId);
    if (!share.lines.some((line) => line.kpiLineId === kpiLineId)) throw new NotFound('Deze KPI-lijn is niet bevestigd in deze aanvraag.');
    const before = (await this.repository.resultsOf(manager, applicationId)).find((r) => r.kpi_line_id === kpiLineId);
    await this.repository.saveResult(manager, applicationId, kpiLineId, input.realisedQuantity, waiverReason, actor.label);
    await this.audit.record(manager, actor, {
      entityType: 'application',
      entityId: applicationId,
      action: 'final-result-recorded',
      before: before ? { kpiLineId, realisedQuantity: before.realised_quantity, waiverReason: before.waiver_reason } : null,
      after: { kpiLineId, realisedQuantity: input.realisedQuantity, waiverReason },
      ownerLocalGovernmentIds: await this.owners(manager, share),
    });
    return this.statement(applicationId, manager);
  }

  /** Closes the settlement: exactly once, with every line recorded; orders the balance payment or the recovery. */
  async settle(actor: Actor, applicationId: number): Promise<SettlementStatement> {
    return inTransaction(this.dataSource, (manager) => this.settleIn(manager, actor, applicationId));
  }

  async settleIn(manager: EntityManager, actor: Actor, applicationId: number): Promise<SettlementStatement> {
    await this.repository.lock(manager, applicationId);
    const share = await this.openShare(manager, applicationId);
    const statement = await this.statement(applicationId, manager);
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
    return this.statement(applicationId, manager);
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
