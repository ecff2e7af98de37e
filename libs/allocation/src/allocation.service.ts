import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ApplicantReadModel } from '@ps/applicants';
import { ApprovedCommitment, ApprovedCommitments, parseEuroAmount } from '@ps/applications';
import { AuditService } from '@ps/audit';
import { Call, CatalogueRepository } from '@ps/catalogue';
import { inTransaction } from '@ps/database';
import { Actor } from '@ps/identity';
import { Cents, Conflict, EURO_REFUSED, FieldErrors, NotFound, Page, pageBounds, PageRequest, sumCents, withTotal } from '@ps/kernel';
import { OrganisationReadModel } from '@ps/organisations';
import { advanceAndBalance, PaymentKind, paymentReference } from '@ps/payments';
import { ActionAllocation, allocate, Allocation, AllocationPolicy, ApplicantAllocation, Claim, DEFAULT_POLICY, LineAllocation } from './allocation-rules';
import { PublishDto, SimulateDto } from './allocation.dto';
import { inputHash, pendingReviewReason } from './publication-rules';
import { AllocationRepository, NewPayment, PaymentRow, RunRow, ShareRow } from './allocation.repository';
import { AllocationNotices } from './allocation-notices';
import { hashed } from './proposal-rules';

/** A run without its shares: parameters, totals and rounds. */
export interface RunSummary {
  id: number;
  callYear: number;
  budgetCents: Cents;
  policy: AllocationPolicy;
  inputHash: string;
  confirmedCents: Cents;
  allocatedCents: Cents;
  fits: boolean;
  rounds: Allocation['rounds'];
  pendingReviewApplicationIds: number[];
  createdAt: Date;
  createdBy: string;
  published: boolean;
  publishedAt: Date | null;
  publishedBy: string | null;
  pendingReviewReason: string | null;
}

export interface ShareLine extends LineAllocation {
  confirmedQuantity: number;
}

export interface ShareAction extends ActionAllocation {
  /** What the applicant asked for the action, before ABB confirmed it. */
  requestedCents: Cents;
}

/** One applicant's share of a run: the engine's result, with what was asked and confirmed, and who it is. */
export interface Share extends ApplicantAllocation {
  lines: ShareLine[];
  actions: ShareAction[];
  applicationId: number;
  applicantNameNl: string;
  leadLocalGovernmentId: number;
}

export interface ShareDifference {
  applicantId: number;
  applicantNameNl: string;
  otherRunCents: Cents;
  thisRunCents: Cents;
  differenceCents: Cents;
}

/** The whole run's shares counted and summed by the database, the same on every page. */
export interface RunTotals {
  applicants: number;
  confirmedCents: Cents;
  allocatedCents: Cents;
}

/** A run against another run of its call. */
export interface RunComparison {
  runId: number;
  published: boolean;
  /** Over both whole runs: the applicants whose amount differs (one in only one run counts with 0 in the other). */
  differentApplicants: number;
  /** Over both whole runs: this run's sum minus the other run's. */
  differenceCents: Cents;
  /** The applicants of this page whose amount differs, by applicant. */
  differences: ShareDifference[];
}

export interface RunView extends RunSummary {
  totals: RunTotals;
  /** One page of the applicants' shares, by applicant id. */
  shares: Page<Share>;
  /** Against the run asked for, else against the call's published run when this run is another one. */
  comparison: RunComparison | null;
}

/** The whole run's payments counted and summed by the database. */
export interface PaymentTotals {
  payments: number;
  amountCents: Cents;
  released: number;
  releasedCents: Cents;
}

/** A share as the applicant sees it, with what the call's advance share makes of it. */
export interface PublishedShare extends Share {
  runId: number;
  callYear: number;
  publishedAt: Date;
  advancePercent: number;
  advanceCents: Cents;
  balanceCents: Cents;
}

export interface PaymentOrder {
  applicantId: number;
  applicantNameNl: string;
  leadLocalGovernmentNameNl: string;
  payoutIban: string | null;
  kind: PaymentKind;
  amountCents: Cents;
  reference: string;
  /** Null until a second ABB person approved its release: only released payments go to finance. */
  releasedAt: Date | null;
  releasedBy: string | null;
}

/** What publishing a run would put on the payment list, shown before it is proposed. */
export interface PublicationPreview {
  callYear: number;
  budgetCents: Cents;
  allocatedCents: Cents;
  /** The sum of the advances: the payment list the publication orders. */
  advancesCents: Cents;
  advances: { applicantNameNl: string; leadLocalGovernmentNameNl: string; amountCents: Cents }[];
}

/** What publishing a run would do and what it rests on (AllocationService.publicationCheck). */
export interface Publication {
  callYear: number;
  reason: string | null;
  advances: NewPayment[];
  allocatedCents: Cents;
  budgetCents: Cents;
  owners: number[];
  inputs: Record<string, unknown>;
}

/** A run's payments awaiting release, with their sums per kind. */
export interface Release {
  callYear: number;
  paymentIds: number[];
  advanceCents: Cents;
  balanceCents: Cents;
  recoveryCents: Cents;
  inputs: Record<string, unknown>;
}

type ShareDetail = Omit<Share, 'applicantId' | 'applicationId' | 'confirmedCents' | 'allocatedCents'> & { payoutIban: string | null };

/**
 * Allocation runs of a call: simulations at any time, one publication that fixes the call's allocation
 * and orders the advances. Every run stores its parameters, the hash of its inputs and its result.
 */
@Injectable()
export class AllocationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: AllocationRepository,
    private readonly commitments: ApprovedCommitments,
    private readonly catalogue: CatalogueRepository,
    private readonly organisations: OrganisationReadModel,
    private readonly audit: AuditService,
    private readonly applicants: ApplicantReadModel,
    private readonly notices: AllocationNotices,
  ) {}

  async simulate(actor: Actor, year: number, input: SimulateDto): Promise<RunView> {
    const id = await inTransaction(this.dataSource, async (manager) => {
      const call = await this.callOf(manager, year);
      const budgetCents = budgetOf(input, call);
      const policy = policyOf(input);
      const approved = await this.commitments.ofCall(manager, call.id);
      const allocation = allocate(budgetCents, claimsOf(approved), policy);
      const runId = await this.repository.insertRun(manager, {
        callId: call.id,
        budgetCents,
        policy,
        inputHash: inputHash(budgetCents, policy, approved),
        outcome: { confirmedCents: allocation.confirmedCents, allocatedCents: allocation.allocatedCents, fits: allocation.fits, rounds: allocation.rounds },
        pendingReviewApplicationIds: await this.commitments.pendingReview(manager, call.id),
        createdByUserId: actor.userId,
        createdByLabel: actor.label,
      });
      await this.repository.insertShares(manager, runId, sharesOf(allocation, approved));
      await this.audit.record(manager, actor, { entityType: 'allocation-run', entityId: runId, action: 'simulated', after: { year, budgetCents, policy } });
      return runId;
    });
    return this.run(id);
  }

  async runs(year: number): Promise<RunSummary[]> {
    const manager = this.dataSource.manager;
    const call = await this.callOf(manager, year);
    return (await this.repository.runsOf(manager, call.id)).map((row) => summaryOf(row, year));
  }

  /**
   * The run with one page of its shares (by applicant), its totals over the whole run, compared with `compareWith` (a
   * run of the same call) or else with the published run: the counts over both whole runs, the differences of the page.
   */
  async run(id: number, compareWith?: number, paging: PageRequest = {}): Promise<RunView> {
    const { page, pageSize, offset, limit } = pageBounds(paging);
    const manager = this.dataSource.manager;
    const row = await this.repository.run(manager, id);
    if (!row) throw new NotFound('Deze verdeling bestaat niet.');
    const call = await this.catalogue.callById(manager, row.call_id);
    const other = compareWith === undefined ? await this.defaultComparison(manager, row) : await this.repository.run(manager, compareWith);
    if (other && other.call_id !== row.call_id) throw new FieldErrors({ compareWith: ['Kies een verdeling van dezelfde oproep.'] });
    if (compareWith !== undefined && !other) throw new FieldErrors({ compareWith: ['Deze verdeling bestaat niet.'] });
    const totals = await this.repository.shareTotals(manager, id);
    const shares = (await this.repository.sharesPage(manager, id, offset, limit)).map(shareOf);
    const applicants = whole(totals.applicants);
    let comparison: RunComparison | null = null;
    if (other) {
      const against = await this.repository.comparisonTotals(manager, id, other.id);
      const otherShares = await this.repository.sharesOfApplicants(
        manager,
        other.id,
        shares.map((s) => s.applicantId),
      );
      comparison = {
        runId: other.id,
        published: other.published_at !== null,
        differentApplicants: whole(against.applicants),
        differenceCents: whole(against.difference_cents),
        differences: differences(otherShares.map(shareOf), shares),
      };
    }
    return {
      ...summaryOf(row, call!.yearNumber),
      totals: { applicants, confirmedCents: whole(totals.confirmed_cents), allocatedCents: whole(totals.allocated_cents) },
      shares: withTotal(shares, applicants, page, pageSize),
      comparison,
    };
  }

  private async defaultComparison(manager: EntityManager, row: RunRow): Promise<RunRow | null> {
    return row.published_at ? null : this.repository.publishedRun(manager, row.call_id);
  }

  /**
   * What publishing the run rests on and what it would order, refused as a publication would be: the run must exist,
   * no run of the call be published, the approved applications be those it was computed from, and applications
   * awaiting review need a confirmation with a reason. A proposal keeps `inputs`; its approval compares them again.
   */
  async publicationCheck(manager: EntityManager, id: number, input: PublishDto): Promise<Publication> {
    const row = await this.repository.run(manager, id);
    if (!row) throw new NotFound('Deze verdeling bestaat niet.');
    const published = await this.repository.publishedRun(manager, row.call_id);
    if (published) {
      throw new Conflict('De verdeling van deze oproep is al gepubliceerd. Een nieuwe simulatie toont de verschillen.');
    }
    const call = (await this.catalogue.callById(manager, row.call_id))!;
    const approved = await this.commitments.ofCall(manager, call.id);
    const approvedApplications = inputHash(Number(row.budget_cents), row.policy as AllocationPolicy, approved);
    if (approvedApplications !== row.input_hash.trim()) {
      throw new Conflict('De goedgekeurde aanvragen zijn gewijzigd sinds deze simulatie. Maak een nieuwe simulatie en publiceer die.');
    }
    const pending = await this.commitments.pendingReview(manager, call.id);
    const reason = pendingReviewReason(pending, input);
    const shares = (await this.repository.sharesOf(manager, id)).map(shareOf);
    const ibans = new Map(approved.map((a) => [a.applicantId, a.confirmedPayoutIban]));
    const advances = shares
      .filter((share) => share.allocatedCents > 0)
      .map((share) => ({
        applicantId: share.applicantId,
        kind: 'advance' as const,
        amountCents: advanceAndBalance(share.allocatedCents, call.advancePercent).advanceCents,
        payoutIban: ibans.get(share.applicantId) ?? null,
        reference: paymentReference(call.yearNumber, share.applicantId, 'advance'),
      }));
    const allocatedCents = shares.reduce((sum, s) => sum + s.allocatedCents, 0);
    return {
      callYear: call.yearNumber,
      reason,
      advances,
      allocatedCents,
      budgetCents: Number(row.budget_cents),
      owners: [...new Set(shares.map((s) => s.leadLocalGovernmentId))],
      inputs: {
        approvedApplications,
        latestRunId: await this.repository.latestRunId(manager, call.id),
        pendingReview: [...pending].sort((x, y) => x - y),
        publishedRunId: null,
      },
    };
  }

  /**
   * What publishing the run would order, for the page that asks to confirm first: refused as a publication would be,
   * nothing written. The advances per applicant (name and lead local government) and their sum: the payment list.
   */
  async publicationPreview(id: number, input: PublishDto): Promise<PublicationPreview> {
    return inTransaction(this.dataSource, async (manager) => {
      const publication = await this.publicationCheck(manager, id, input);
      const shares = new Map((await this.repository.sharesOf(manager, id)).map((s) => [s.applicant_id, shareOf(s)]));
      const leads = new Map(
        (await this.organisations.names(manager, [...new Set([...shares.values()].map((s) => s.leadLocalGovernmentId))])).map((n) => [n.id, n.nameNl]),
      );
      return {
        callYear: publication.callYear,
        budgetCents: publication.budgetCents,
        allocatedCents: publication.allocatedCents,
        advancesCents: sumCents(publication.advances.map((a) => a.amountCents)),
        advances: publication.advances.map((a) => {
          const share = shares.get(a.applicantId)!;
          return {
            applicantNameNl: share.applicantNameNl,
            leadLocalGovernmentNameNl: leads.get(share.leadLocalGovernmentId) ?? '',
            amountCents: a.amountCents,
          };
        }),
      };
    });
  }

  /**
   * A publication's inputs now, without refusing: for an approval that reports every change at once. Takes the call's
   * publication lock first, so of two approvals at once the second sees the first one's publication.
   */
  async publicationInputs(manager: EntityManager, id: number): Promise<Record<string, unknown>> {
    const row = (await this.repository.run(manager, id))!;
    await this.repository.lockPublication(manager, row.call_id);
    const approved = await this.commitments.ofCall(manager, row.call_id);
    const pending = await this.commitments.pendingReview(manager, row.call_id);
    return {
      approvedApplications: inputHash(Number(row.budget_cents), row.policy as AllocationPolicy, approved),
      latestRunId: await this.repository.latestRunId(manager, row.call_id),
      pendingReview: [...pending].sort((x, y) => x - y),
      publishedRunId: (await this.repository.publishedRun(manager, row.call_id))?.id ?? null,
    };
  }

  /**
   * Publishes a run in the caller's transaction, on an approved proposal (four eyes: never called on one person's
   * word): only while no other run of the call is published (two at once: one wins, the other waits and is refused),
   * on the inputs it was computed from. Orders each applicant's advance; the payment list still needs its release.
   * Each applicant's officers hear of their share in the same transaction.
   */
  async publishIn(manager: EntityManager, actor: Actor, id: number, input: PublishDto, proposal: { id: number; proposedBy: string }): Promise<void> {
    const row = await this.repository.run(manager, id);
    if (!row) throw new NotFound('Deze verdeling bestaat niet.');
    await this.repository.lockPublication(manager, row.call_id);
    const publication = await this.publicationCheck(manager, id, input);
    await this.repository.markPublished(manager, id, actor.label, publication.reason);
    await this.repository.insertPayments(manager, id, publication.advances);
    await this.audit.record(manager, actor, {
      entityType: 'allocation-run',
      entityId: id,
      action: 'published',
      after: {
        year: publication.callYear,
        allocatedCents: publication.allocatedCents,
        pendingReviewReason: publication.reason,
        proposalId: proposal.id,
        proposedBy: proposal.proposedBy,
        approvedBy: actor.label,
      },
      ownerLocalGovernmentIds: publication.owners,
    });
    const call = (await this.catalogue.callById(manager, row.call_id))!;
    await this.notices.published(manager, id, call, (await this.repository.sharesOf(manager, id)).map(shareOf));
  }

  /** The payments of a published run not yet released, what releasing them rests on, and their sums. */
  async releaseCheck(manager: EntityManager, id: number): Promise<Release> {
    const row = await this.repository.run(manager, id);
    if (!row) throw new NotFound('Deze verdeling bestaat niet.');
    if (!row.published_at) throw new Conflict('Een betaallijst bestaat pas voor een gepubliceerde verdeling.');
    const open = (await this.repository.paymentsOf(manager, id)).filter((p) => p.released_at === null);
    const confirmed = new Map((await this.applicants.facts(manager, [...new Set(open.map((p) => p.applicant_id))])).map((f) => [f.id, f.confirmedPayoutIban]));
    const sum = (kind: PaymentKind) => open.filter((p) => p.kind === kind).reduce((total, p) => total + Number(p.amount_cents), 0);
    return {
      callYear: (await this.catalogue.callById(manager, row.call_id))!.yearNumber,
      paymentIds: open.map((p) => p.id),
      advanceCents: sum('advance'),
      balanceCents: sum('balance'),
      recoveryCents: sum('recovery'),
      inputs: {
        payments: open.map((p) => [p.id, p.applicant_id, p.kind, Number(p.amount_cents), hashed(p.payout_iban), p.reference]),
        // The payments whose account is no longer the applicant's confirmed one (ids only: no account in the snapshot).
        payoutAccounts: open.filter((p) => p.payout_iban !== (confirmed.get(p.applicant_id) ?? null)).map((p) => p.id),
      },
    };
  }

  /** Releases the payments of an approved proposal for payment: from now on they are on the final payment list. */
  async releaseIn(manager: EntityManager, actor: Actor, id: number, release: Release, proposal: { id: number; proposedBy: string }): Promise<void> {
    const released = await this.repository.releasePayments(manager, release.paymentIds, actor.label, proposal.id);
    if (released !== release.paymentIds.length) throw new Conflict('Een deel van deze betalingen is intussen al vrijgegeven.');
    await this.audit.record(manager, actor, {
      entityType: 'allocation-run',
      entityId: id,
      action: 'payments-released',
      after: {
        payments: released,
        advanceCents: release.advanceCents,
        balanceCents: release.balanceCents,
        recoveryCents: release.recoveryCents,
        proposalId: proposal.id,
        proposedBy: proposal.proposedBy,
        approvedBy: actor.label,
      },
    });
  }

  /** The application's share in its call's published run; null before publication or without a share. */
  async publishedShareOf(applicationId: number, manager: EntityManager = this.dataSource.manager): Promise<PublishedShare | null> {
    const row = await this.repository.publishedShareOf(manager, applicationId);
    if (!row) return null;
    const run = (await this.repository.run(manager, row.run_id))!;
    const call = (await this.catalogue.callById(manager, run.call_id))!;
    const share = shareOf(row);
    return {
      ...share,
      runId: row.run_id,
      callYear: call.yearNumber,
      publishedAt: row.published_at,
      advancePercent: call.advancePercent,
      ...advanceAndBalance(share.allocatedCents, call.advancePercent),
    };
  }

  /**
   * The payments a published run ordered, with where they go and whether they are released; refused for a run that is
   * not published. `releasedOnly`: the final list for finance, refused while nothing is released.
   */
  async paymentList(id: number, releasedOnly = false): Promise<{ run: RunSummary; payments: PaymentOrder[] }> {
    const manager = this.dataSource.manager;
    const { row, callYear } = await this.publishedRun(manager, id);
    const rows = (await this.repository.paymentsOf(manager, id)).filter((p) => !releasedOnly || p.released_at !== null);
    if (releasedOnly && rows.length === 0) {
      throw new Conflict('Er is nog geen betaling vrijgegeven: een tweede persoon van ABB keurt de vrijgave van de betaallijst eerst goed.');
    }
    return { run: summaryOf(row, callYear), payments: await this.paymentOrders(manager, id, rows) };
  }

  /** One page of the payment list (`paymentList`'s order) with the whole list's counts and sums; the same refusals. */
  async paymentPage(id: number, paging: PageRequest = {}): Promise<{ run: RunSummary; totals: PaymentTotals; payments: Page<PaymentOrder> }> {
    const { page, pageSize, offset, limit } = pageBounds(paging);
    const manager = this.dataSource.manager;
    const { row, callYear } = await this.publishedRun(manager, id);
    const totals = await this.paymentTotals(id, manager);
    const payments = await this.paymentOrders(manager, id, await this.repository.paymentsPage(manager, id, offset, limit));
    return { run: summaryOf(row, callYear), totals, payments: withTotal(payments, totals.payments, page, pageSize) };
  }

  /** How many payments the run ordered and released, and their sums, counted by the database. */
  async paymentTotals(id: number, manager: EntityManager = this.dataSource.manager): Promise<PaymentTotals> {
    const totals = await this.repository.paymentTotals(manager, id);
    return {
      payments: whole(totals.payments),
      amountCents: whole(totals.amount_cents),
      released: whole(totals.released),
      releasedCents: whole(totals.released_cents),
    };
  }

  private async publishedRun(manager: EntityManager, id: number): Promise<{ row: RunRow; callYear: number }> {
    const row = await this.repository.run(manager, id);
    if (!row) throw new NotFound('Deze verdeling bestaat niet.');
    if (!row.published_at) throw new Conflict('Een betaallijst bestaat pas voor een gepubliceerde verdeling.');
    return { row, callYear: (await this.catalogue.callById(manager, row.call_id))!.yearNumber };
  }

  /** The payments with their applicant's name and lead local government, read from these applicants' shares only. */
  private async paymentOrders(manager: EntityManager, runId: number, rows: PaymentRow[]): Promise<PaymentOrder[]> {
    const applicantIds = [...new Set(rows.map((p) => p.applicant_id))];
    const payees = new Map((await this.repository.payeesOf(manager, runId, applicantIds)).map((s) => [s.applicant_id, s]));
    const leads = new Map(
      (await this.organisations.names(manager, [...new Set([...payees.values()].map((s) => s.lead_local_government_id))])).map((n) => [n.id, n.nameNl]),
    );
    return rows.map((p) => {
      const payee = payees.get(p.applicant_id)!;
      return {
        applicantId: p.applicant_id,
        applicantNameNl: payee.applicant_name_nl,
        leadLocalGovernmentNameNl: leads.get(payee.lead_local_government_id) ?? '',
        payoutIban: p.payout_iban,
        kind: p.kind,
        amountCents: Number(p.amount_cents),
        reference: p.reference,
        releasedAt: p.released_at,
        releasedBy: p.released_by_label,
      };
    });
  }

  private async callOf(manager: EntityManager, year: number): Promise<Call> {
    const call = await this.catalogue.callByYear(manager, year);
    if (!call) throw new NotFound('Deze oproep bestaat niet.');
    return call;
  }
}

/** A count or bigint sum (a string from node-postgres, a number from PGlite) as a safe integer. */
function whole(value: string | number): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new RangeError(`not a safe integer: ${value}`);
  return number;
}

function budgetOf(input: SimulateDto, call: Call): Cents {
  if (input.budgetEuro === undefined || input.budgetEuro === null || input.budgetEuro === '') {
    if (call.budgetCents === null) throw new FieldErrors({ budgetEuro: ['Geef een budget: de oproep heeft er nog geen.'] });
    return call.budgetCents;
  }
  const cents = ['string', 'number'].includes(typeof input.budgetEuro) ? parseEuroAmount(String(input.budgetEuro).trim()) : null;
  if (cents === null) throw new FieldErrors({ budgetEuro: [`${EURO_REFUSED} Van 0 tot 10 miljard euro.`] });
  return cents;
}

function policyOf(input: SimulateDto): AllocationPolicy {
  if (input.policy === 'pro-rata') return { kind: 'pro-rata' };
  return { kind: 'priority-rounds', stimuliFirst: input.stimuliFirst ?? (DEFAULT_POLICY.kind === 'priority-rounds' && DEFAULT_POLICY.stimuliFirst) };
}

function claimsOf(approved: ApprovedCommitment[]): Claim[] {
  return approved.map((a) => ({
    applicantId: a.applicantId,
    lines: a.lines.map((l) => ({ kpiLineId: l.kpiLineId, actionNumber: l.actionNumber, priority: l.priority, amountCents: l.amountCents })),
    stimuli: a.stimuli.map((s) => ({ kind: s.kind, cents: s.cents })),
  }));
}

function sharesOf(allocation: Allocation, approved: ApprovedCommitment[]) {
  const byApplicant = new Map(approved.map((a) => [a.applicantId, a]));
  return allocation.applicants.map((share) => {
    const commitment = byApplicant.get(share.applicantId)!;
    const quantities = new Map(commitment.lines.map((line) => [line.kpiLineId, line.confirmedQuantity]));
    const detail: ShareDetail = {
      applicantNameNl: commitment.applicantNameNl,
      leadLocalGovernmentId: commitment.leadLocalGovernmentId,
      payoutIban: commitment.confirmedPayoutIban,
      lines: share.lines.map((line) => ({ ...line, confirmedQuantity: quantities.get(line.kpiLineId)! })),
      stimuli: share.stimuli,
      actions: share.actions.map((action) => ({ ...action, requestedCents: commitment.requestedByAction[action.actionNumber] ?? 0 })),
      explanation: share.explanation,
    };
    return {
      applicantId: share.applicantId,
      applicationId: commitment.applicationId,
      confirmedCents: share.confirmedCents,
      allocatedCents: share.allocatedCents,
      detail,
    };
  });
}

function shareOf(row: ShareRow): Share {
  const { payoutIban: _iban, ...detail } = row.detail as ShareDetail;
  return {
    applicantId: row.applicant_id,
    applicationId: row.application_id,
    confirmedCents: Number(row.confirmed_cents),
    allocatedCents: Number(row.allocated_cents),
    ...detail,
  };
}

function summaryOf(row: RunRow, callYear: number): RunSummary {
  const outcome = row.outcome as Pick<Allocation, 'confirmedCents' | 'allocatedCents' | 'fits' | 'rounds'>;
  return {
    id: row.id,
    callYear,
    budgetCents: Number(row.budget_cents),
    policy: row.policy as AllocationPolicy,
    inputHash: row.input_hash.trim(),
    ...outcome,
    pendingReviewApplicationIds: row.pending_review_application_ids,
    createdAt: row.created_at,
    createdBy: row.created_by_label,
    published: row.published_at !== null,
    publishedAt: row.published_at,
    publishedBy: row.published_by_label,
    pendingReviewReason: row.pending_review_reason,
  };
}

function differences(other: Share[], current: Share[]): ShareDifference[] {
  const before = new Map(other.map((s) => [s.applicantId, s]));
  const after = new Map(current.map((s) => [s.applicantId, s]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => a - b);
  return ids
    .map((applicantId) => {
      const otherRunCents = before.get(applicantId)?.allocatedCents ?? 0;
      const thisRunCents = after.get(applicantId)?.allocatedCents ?? 0;
      const applicantNameNl = (after.get(applicantId) ?? before.get(applicantId))!.applicantNameNl;
      return { applicantId, applicantNameNl, otherRunCents, thisRunCents, differenceCents: thisRunCents - otherRunCents };
    })
    .filter((d) => d.differenceCents !== 0);
}
