import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ApplicantReadModel } from '@ps/applicants';
import { CatalogueRepository } from '@ps/catalogue';
import { PlatformConfig } from '@ps/config';
import { Cents, Clock, Conflict, NotFound } from '@ps/kernel';
import {
  brusselsToday,
  creditTransfersOf,
  CreditTransferFile,
  executionDateOf,
  FileSelection,
  nextBusinessDay,
  PaymentRelease,
  paymentFileIds,
  releasesOf,
} from '@ps/payments';
import { AllocationRepository } from './allocation.repository';
import { PaymentFilesRepository } from './payment-files.repository';

/** A released payment list as its page and the API show it, with what its SEPA file would hold. */
export interface ReleasedList {
  number: number;
  releasedAt: Date;
  creditTransfers: number;
  creditTransferCents: Cents;
  recoveries: number;
  recoveryCents: Cents;
  /** Applicants paid in this list without a confirmed payout account: no file until ABB confirms one. */
  withoutConfirmedAccount: string[];
  /** The file's message id; null when the list holds no credit transfer (recoveries only). */
  messageId: string | null;
}

export interface PaymentFiles {
  run: { id: number; callYear: number; publishedAt: Date };
  payer: { name: string; iban: string; bic: string; demo: boolean };
  defaultExecutionDate: string;
  lists: ReleasedList[];
}

export interface PaymentFile {
  run: { id: number; callYear: number };
  list: ReleasedList;
  file: CreditTransferFile;
}

interface Loaded {
  run: PaymentFiles['run'];
  releases: { release: PaymentRelease; selection: FileSelection }[];
}

const sum = (amounts: { amountCents: Cents }[]) => amounts.reduce((total, a) => total + a.amountCents, 0);

/**
 * The SEPA credit transfer files of a published run: one per released payment list (four eyes released it), paying
 * its advances and balances from ABB's account to each applicant's confirmed payout account. docs/allocation.md,
 * "The payment file".
 */
@Injectable()
export class PaymentFilesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: AllocationRepository,
    private readonly repository: PaymentFilesRepository,
    private readonly catalogue: CatalogueRepository,
    private readonly applicants: ApplicantReadModel,
    private readonly config: PlatformConfig,
    private readonly clock: Clock,
  ) {}

  /** The run's released lists with their files' figures; refused for a run that is not published. */
  async lists(runId: number): Promise<PaymentFiles> {
    const loaded = await this.load(this.dataSource.manager, runId);
    return {
      run: loaded.run,
      payer: this.config.payingAccount,
      defaultExecutionDate: nextBusinessDay(brusselsToday(this.clock.now())),
      lists: loaded.releases.map(({ release, selection }) => listOf(runId, release, selection)),
    };
  }

  /**
   * The SEPA file of the run's n-th released list, asked to be paid on `executionDate` (by default the next weekday).
   * Refused while one of its applicants has no confirmed payout account, and for a list of recoveries only.
   */
  async file(runId: number, number: number, executionDate: string | undefined, field = 'executionDate'): Promise<PaymentFile> {
    const loaded = await this.load(this.dataSource.manager, runId);
    const found = loaded.releases.find(({ release }) => release.number === number);
    if (!found) throw new NotFound('Deze vrijgegeven betaallijst bestaat niet.');
    const date = executionDateOf(executionDate, brusselsToday(this.clock.now()), field);
    const { release, selection } = found;
    if (selection.withoutAccount.length > 0) {
      throw new Conflict(
        `Geen bevestigd rekeningnummer voor ${names(selection.withoutAccount)}. Het bestand betaalt enkel op een bevestigd rekeningnummer: ABB bevestigt het eerst.`,
      );
    }
    if (selection.transfers.length === 0) {
      throw new Conflict(
        'Deze betaallijst bevat enkel terugvorderingen. Die betaalt de aanvrager zelf terug met de gestructureerde mededeling, dus er is geen overschrijvingsbestand.',
      );
    }
    const { iban, bic, name } = this.config.payingAccount;
    return {
      run: { id: loaded.run.id, callYear: loaded.run.callYear },
      list: listOf(runId, release, selection),
      file: {
        ...paymentFileIds(runId, number),
        createdAt: release.releasedAt,
        executionDate: date,
        payer: { iban, bic, name },
        transfers: selection.transfers,
      },
    };
  }

  private async load(manager: EntityManager, runId: number): Promise<Loaded> {
    const row = await this.runs.run(manager, runId);
    if (!row) throw new NotFound('Deze verdeling bestaat niet.');
    if (!row.published_at) throw new Conflict('Een betaallijst bestaat pas voor een gepubliceerde verdeling.');
    const call = (await this.catalogue.callById(manager, row.call_id))!;
    const rows = await this.repository.releasedPaymentsOf(manager, runId);
    const facts = new Map((await this.applicants.facts(manager, [...new Set(rows.map((r) => r.applicant_id))])).map((f) => [f.id, f]));
    const releases = releasesOf(
      rows.map((r) => ({
        applicantId: r.applicant_id,
        applicantNameNl: facts.get(r.applicant_id)?.nameNl ?? '',
        kind: r.kind,
        amountCents: Number(r.amount_cents),
        reference: r.reference,
        releasedAt: r.released_at,
        releaseProposalId: r.release_proposal_id,
      })),
    );
    // Never a pending account: the read model gives the account ABB confirmed, as it is now.
    const confirmed = new Map([...facts.values()].map((f) => [f.id, f.confirmedPayoutIban]));
    return {
      run: { id: row.id, callYear: call.yearNumber, publishedAt: row.published_at },
      releases: releases.map((release) => ({ release, selection: creditTransfersOf(release.payments, confirmed) })),
    };
  }
}

function listOf(runId: number, release: PaymentRelease, selection: FileSelection): ReleasedList {
  return {
    number: release.number,
    releasedAt: release.releasedAt,
    creditTransfers: selection.transfers.length,
    creditTransferCents: sum(selection.transfers),
    recoveries: selection.recoveries.length,
    recoveryCents: sum(selection.recoveries),
    withoutConfirmedAccount: selection.withoutAccount.map((p) => p.applicantNameNl),
    messageId: selection.transfers.length > 0 ? paymentFileIds(runId, release.number).messageId : null,
  };
}

const names = (payments: { applicantNameNl: string }[]) => [...new Set(payments.map((p) => p.applicantNameNl))].join(', ');
