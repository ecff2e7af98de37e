import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@ps/audit';
import { PlatformConfig } from '@ps/config';
import { inTransaction } from '@ps/database';
import {
  Actor,
  MONEY_DECISION_LABELS_NL,
  MoneyDecision,
  OfficersReadModel,
  refusalToApprove,
  refusalToPropose,
  refusalToWithdraw,
  waiverNeedsSecondPerson,
} from '@ps/identity';
import { Cents, Clock, Conflict, formatEuro, NotFound, NotPermitted, StaleVersion } from '@ps/kernel';
import { MailDelivery } from '@ps/notifications';
import { PublishDto, ResultDto } from './allocation.dto';
import { AllocationRepository } from './allocation.repository';
import { AllocationService } from './allocation.service';
import { ProposalDecisionDto } from './proposal.dto';
import { changedInputs, InputChange } from './proposal-rules';
import { ProposalRow, ProposalsRepository, ProposalState } from './proposals.repository';
import { SettlementService, SettlementStatement } from './settlement.service';

/** What the approver sees before approving: the headline amount and its parts. */
export interface ProposalTotals {
  /** What the proposal is about, in words ("Verdeling 12 van projectjaar 1"). */
  subject: string;
  amountCents: Cents;
  /** How many payments or shares it concerns. */
  count: number;
  lines: { label: string; cents: Cents }[];
}

export interface ProposalView {
  id: number;
  kind: MoneyDecision;
  kindLabel: string;
  state: ProposalState;
  version: number;
  runId: number;
  applicationId: number | null;
  kpiLineId: number | null;
  /** The page of the subject. */
  path: string;
  input: Record<string, unknown>;
  totals: ProposalTotals;
  proposedByUserId: number;
  proposedBy: string;
  proposedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
}

/** A recorded result: the statement, and the waiver proposal when the waiver waits for a second person. */
export interface RecordedResult {
  statement: SettlementStatement;
  proposal: ProposalView | null;
}

const ACTIONS: Record<MoneyDecision, { entityType: 'allocation-run' | 'application'; proposed: string; approved: string; withdrawn: string }> = {
  'publish-allocation': {
    entityType: 'allocation-run',
    proposed: 'publication-proposed',
    approved: 'publication-approved',
    withdrawn: 'publication-withdrawn',
  },
  'release-payments': { entityType: 'allocation-run', proposed: 'release-proposed', approved: 'release-approved', withdrawn: 'release-withdrawn' },
  'waive-reclaim': { entityType: 'application', proposed: 'waiver-proposed', approved: 'waiver-approved', withdrawn: 'waiver-withdrawn' },
};

/**
 * Four eyes on every euro: publishing an allocation run, releasing a run's payment list and waiving a reclaim above
 * the call's threshold are proposed by one ABB person and carried out only when another approves. Who may take which
 * step is decided by the rule in libs/identity/src/four-eyes.ts; this service applies it on every money route. A
 * proposal keeps its totals and a snapshot of its inputs: an approval on changed inputs is refused with what changed,
 * and two approvals at once give one (the proposal row is locked, then decided by a conditional update).
 */
@Injectable()
export class ProposalsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: ProposalsRepository,
    private readonly allocationRepository: AllocationRepository,
    private readonly allocation: AllocationService,
    private readonly settlements: SettlementService,
    private readonly officers: OfficersReadModel,
    private readonly mail: MailDelivery,
    private readonly audit: AuditService,
    private readonly config: PlatformConfig,
    private readonly clock: Clock,
  ) {}

  /** Proposes to publish the run, checked as a publication would be (pending review: confirmation and reason now). */
  async proposePublication(actor: Actor, runId: number, input: PublishDto): Promise<ProposalView> {
    const proposer = this.proposer(actor);
    return this.within(async (manager) => {
      await this.allocationRepository.lockRun(manager, runId);
      const publication = await this.allocation.publicationCheck(manager, runId, input);
      const advances = publication.advances.reduce((sum, p) => sum + p.amountCents, 0);
      return this.propose(manager, proposer, {
        kind: 'publish-allocation',
        subjectKey: `publish:${runId}`,
        runId,
        applicationId: null,
        kpiLineId: null,
        input: { confirmPendingReview: input.confirmPendingReview === true, reason: publication.reason },
        inputs: publication.inputs,
        totals: {
          subject: `Verdeling ${runId} van projectjaar ${publication.callYear}`,
          amountCents: publication.allocatedCents,
          count: publication.advances.length,
          lines: [
            { label: 'Budget', cents: publication.budgetCents },
            { label: 'Verdeeld', cents: publication.allocatedCents },
            { label: 'Voorschotten op de betaallijst', cents: advances },
          ],
        },
      });
    });
  }

  /** Proposes to release the run's payments that are not released yet (advances, balances and recoveries). */
  async proposeRelease(actor: Actor, runId: number): Promise<ProposalView> {
    const proposer = this.proposer(actor);
    return this.within(async (manager) => {
      await this.allocationRepository.lockRun(manager, runId);
      const release = await this.allocation.releaseCheck(manager, runId);
      if (release.paymentIds.length === 0) throw new Conflict('Alle betalingen van deze verdeling zijn al vrijgegeven.');
      return this.propose(manager, proposer, {
        kind: 'release-payments',
        subjectKey: `release:${runId}`,
        runId,
        applicationId: null,
        kpiLineId: null,
        input: {},
        inputs: release.inputs,
        totals: {
          subject: `Betaallijst van verdeling ${runId}, projectjaar ${release.callYear}`,
          amountCents: release.advanceCents + release.balanceCents,
          count: release.paymentIds.length,
          lines: [
            { label: 'Voorschotten', cents: release.advanceCents },
            { label: 'Saldi', cents: release.balanceCents },
            { label: 'Terugvorderingen', cents: release.recoveryCents },
          ],
        },
      });
    });
  }

  /**
   * Records a KPI line's final result. A waiver that forgoes more than the call's threshold is not recorded on one
   * person's word: the result is saved without it and the waiver is proposed (`closeSettlement`: close the
   * settlement once approved, for a final report's acceptance).
   */
  async recordResult(actor: Actor, applicationId: number, kpiLineId: number, input: ResultDto): Promise<RecordedResult> {
    return this.within((manager) => this.recordResultIn(manager, actor, applicationId, kpiLineId, input, false));
  }

  async recordResultIn(
    manager: EntityManager,
    actor: Actor,
    applicationId: number,
    kpiLineId: number,
    input: ResultDto,
    closeSettlement: boolean,
  ): Promise<RecordedResult> {
    const waiver = input.waived === true ? await this.settlements.waiverCheck(manager, applicationId, kpiLineId, input) : null;
    if (!waiver || !waiverNeedsSecondPerson(waiver.waivedCents, waiver.thresholdCents)) {
      return { statement: await this.settlements.recordResultIn(manager, actor, applicationId, kpiLineId, input), proposal: null };
    }
    const proposer = this.proposer(actor);
    await this.settlements.recordResultIn(manager, actor, applicationId, kpiLineId, { realisedQuantity: input.realisedQuantity, waived: false });
    const after = await this.settlements.waiverCheck(manager, applicationId, kpiLineId, input);
    const proposal = await this.propose(manager, proposer, {
      kind: 'waive-reclaim',
      subjectKey: `waiver:${applicationId}:${kpiLineId}`,
      runId: after.runId,
      applicationId,
      kpiLineId,
      input: { realisedQuantity: input.realisedQuantity, reason: after.reason, closeSettlement },
      inputs: after.inputs,
      totals: {
        subject: `Afrekening van ${after.applicantNameNl}, actie ${after.actionNumber} (KPI-lijn ${kpiLineId})`,
        amountCents: after.waivedCents,
        count: 1,
        lines: [
          { label: 'Toegewezen aan de lijn', cents: after.allocatedCents },
          { label: 'Kwijt te schelden terugvordering', cents: after.waivedCents },
          { label: 'Drempel van de oproep', cents: after.thresholdCents },
        ],
      },
    });
    return { statement: await this.settlements.statement(applicationId, manager), proposal };
  }

  /** Carries out the proposal, if this actor may approve it and its inputs are still those it was made on. */
  async approve(actor: Actor, id: number, decision: ProposalDecisionDto): Promise<ProposalView> {
    return this.within(async (manager) => {
      const row = await this.lockedPending(manager, id, decision.version, (proposal) =>
        refusalToApprove(actor, { proposedByUserId: proposal.proposed_by_user_id }),
      );
      const changes = changedInputs(row.inputs, await this.currentInputs(manager, row));
      if (changes.length > 0) throw changedSince(changes);
      // Decided first, so what it carries out no longer sees it waiting (a waiver's settlement closes).
      const decided = await this.decide(manager, actor, row, decision.version, 'approved');
      const origin = { id: row.id, proposedBy: row.proposed_by_label };
      switch (row.kind) {
        case 'publish-allocation':
          await this.allocation.publishIn(manager, actor, row.run_id, row.input as PublishDto, origin);
          break;
        case 'release-payments':
          await this.allocation.releaseIn(manager, actor, row.run_id, await this.allocation.releaseCheck(manager, row.run_id), origin);
          break;
        case 'waive-reclaim':
          await this.approveWaiver(manager, actor, row, origin);
          break;
      }
      return decided;
    });
  }

  /** Withdraws a pending proposal: the proposer, or anyone who could approve it. Nothing else changes. */
  async withdraw(actor: Actor, id: number, decision: ProposalDecisionDto): Promise<ProposalView> {
    return this.within(async (manager) => {
      const row = await this.lockedPending(manager, id, decision.version, (proposal) =>
        refusalToWithdraw(actor, { proposedByUserId: proposal.proposed_by_user_id }),
      );
      return this.decide(manager, actor, row, decision.version, 'withdrawn');
    });
  }

  async get(id: number): Promise<ProposalView> {
    const row = await this.repository.get(this.dataSource.manager, id);
    if (!row) throw new NotFound('Dit voorstel bestaat niet.');
    return viewOf(row);
  }

  /** The proposals waiting for a second person, oldest first: the approvers' list. */
  async pending(): Promise<ProposalView[]> {
    return (await this.repository.pending(this.dataSource.manager)).map(viewOf);
  }

  /** The proposals about a run (publication, releases) or an application's settlement (waivers), newest first. */
  async about(where: { runId?: number; applicationId?: number }): Promise<ProposalView[]> {
    return (await this.repository.about(this.dataSource.manager, where)).map(viewOf);
  }

  private proposer(actor: Actor): Actor & { userId: number } {
    const refusal = refusalToPropose(actor);
    if (refusal) throw new NotPermitted(refusal);
    return actor as Actor & { userId: number };
  }

  private within<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work);
  }

  private async propose(
    manager: EntityManager,
    proposer: Actor & { userId: number },
    p: Omit<Parameters<ProposalsRepository['insert']>[1], 'proposedByUserId' | 'proposedByLabel' | 'proposedAt' | 'totals'> & { totals: ProposalTotals },
  ): Promise<ProposalView> {
    const waiting = await this.repository.pendingFor(manager, p.subjectKey);
    if (waiting) {
      throw new Conflict(`Er wacht al een voorstel (${waiting.id}) om dit te doen; keur het goed of trek het in.`, {}, { proposalId: waiting.id });
    }
    const id = await this.repository.insert(manager, {
      ...p,
      proposedByUserId: proposer.userId,
      proposedByLabel: proposer.label,
      proposedAt: this.clock.now(),
    });
    const row = (await this.repository.get(manager, id))!;
    await this.record(manager, proposer, row, 'proposed', { totals: p.totals });
    await this.tellApprovers(manager, proposer, row);
    return viewOf(row);
  }

  /** The locked proposal, refused unless this actor may take the step, it is still pending and of the version read. */
  private async lockedPending(manager: EntityManager, id: number, version: number, refusal: (row: ProposalRow) => string | null): Promise<ProposalRow> {
    const row = await this.repository.lock(manager, id);
    if (!row) throw new NotFound('Dit voorstel bestaat niet.');
    const refused = refusal(row);
    if (refused) throw new NotPermitted(refused);
    if (row.state !== 'pending') {
      throw new Conflict(
        `Dit voorstel is al ${row.state === 'approved' ? 'goedgekeurd' : 'ingetrokken'}${row.decided_by_label ? ` door ${row.decided_by_label}` : ''}.`,
        {},
        { state: row.state },
      );
    }
    if (row.version !== version) throw new StaleVersion('Dit voorstel');
    return row;
  }

  private async decide(manager: EntityManager, actor: Actor, row: ProposalRow, version: number, state: 'approved' | 'withdrawn'): Promise<ProposalView> {
    if (!(await this.repository.decide(manager, row.id, version, state, { userId: actor.userId!, label: actor.label, at: this.clock.now() })))
      throw new StaleVersion('Dit voorstel');
    const decided = (await this.repository.get(manager, row.id))!;
    await this.record(manager, actor, decided, state, {});
    return viewOf(decided);
  }

  private async currentInputs(manager: EntityManager, row: ProposalRow): Promise<Record<string, unknown>> {
    switch (row.kind) {
      case 'publish-allocation':
        return this.allocation.publicationInputs(manager, row.run_id);
      case 'release-payments':
        return (await this.allocation.releaseCheck(manager, row.run_id)).inputs;
      case 'waive-reclaim':
        return (await this.settlements.waiverCheck(manager, row.application_id!, row.kpi_line_id!, waiverInput(row))).inputs;
    }
  }

  private async approveWaiver(manager: EntityManager, actor: Actor, row: ProposalRow, origin: { id: number; proposedBy: string }): Promise<void> {
    const applicationId = row.application_id!;
    await this.settlements.recordResultIn(manager, actor, applicationId, row.kpi_line_id!, waiverInput(row), origin);
    if (row.input.closeSettlement !== true) return;
    const statement = await this.settlements.statement(applicationId, manager);
    if (statement.pendingWaivers.length === 0 && statement.complete && !statement.settled) await this.settlements.settleIn(manager, actor, applicationId);
  }

  /** Both steps in the subject's history (the run, or the application), with names and times. */
  private async record(manager: EntityManager, actor: Actor, row: ProposalRow, step: 'proposed' | 'approved' | 'withdrawn', extra: object): Promise<void> {
    const action = ACTIONS[row.kind];
    await this.audit.record(manager, actor, {
      entityType: action.entityType,
      entityId: action.entityType === 'application' ? row.application_id! : row.run_id,
      action: action[step],
      after: {
        proposalId: row.id,
        kpiLineId: row.kpi_line_id,
        proposedBy: row.proposed_by_label,
        proposedAt: row.proposed_at,
        ...(step === 'proposed' ? {} : { decidedBy: row.decided_by_label, decidedAt: row.decided_at }),
        ...extra,
      },
    });
  }

  /** A notice to every other active ABB person who could approve it. */
  private async tellApprovers(manager: EntityManager, proposer: Actor & { userId: number }, row: ProposalRow): Promise<void> {
    const to = (await this.officers.activeAbbPeople(manager)).filter((p) => p.id !== proposer.userId).map((p) => p.email);
    const totals = row.totals as ProposalTotals;
    const label = MONEY_DECISION_LABELS_NL[row.kind];
    await this.mail.deliver(manager, {
      to,
      subject: `Voorstel ter goedkeuring: ${label.toLowerCase()}`,
      text: [
        `${proposer.label} stelt voor: ${label.toLowerCase()}.`,
        `${totals.subject}: ${formatEuro(totals.amountCents)}.`,
        '',
        'Een tweede persoon van ABB moet dit voorstel goedkeuren voor het uitgevoerd wordt. Bekijk het voorstel:',
        `${this.config.publicUrl}/voorstellen/${row.id}`,
      ].join('\n'),
    });
  }
}

function waiverInput(row: ProposalRow): ResultDto {
  return { realisedQuantity: row.input.realisedQuantity as number, waived: true, reason: row.input.reason as string };
}

function changedSince(changes: InputChange[]): Conflict {
  return new Conflict(
    `Het voorstel steunt op gegevens die intussen gewijzigd zijn: ${changes.map((c) => c.message).join(' ')} Trek het in en doe een nieuw voorstel.`,
    {},
    { changed: changes },
  );
}

function viewOf(row: ProposalRow): ProposalView {
  return {
    id: row.id,
    kind: row.kind,
    kindLabel: MONEY_DECISION_LABELS_NL[row.kind],
    state: row.state,
    version: row.version,
    runId: row.run_id,
    applicationId: row.application_id,
    kpiLineId: row.kpi_line_id,
    path: row.application_id !== null ? `/aanvragen/${row.application_id}/afrekening` : `/verdelingen/${row.run_id}`,
    input: row.input,
    totals: row.totals as ProposalTotals,
    proposedByUserId: row.proposed_by_user_id,
    proposedBy: row.proposed_by_label,
    proposedAt: row.proposed_at,
    decidedBy: row.decided_by_label,
    decidedAt: row.decided_at,
  };
}
