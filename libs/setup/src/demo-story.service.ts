import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { AllocationService, ProposalsService, SettlementService } from '@ps/allocation';
import { CallLifeService, CallsAdministration } from '@ps/applications';
import { CatalogueService } from '@ps/catalogue';
import { PlatformConfig } from '@ps/config';
import { asOwner } from '@ps/database';
import { Actor, actorFor, AuthenticationService } from '@ps/identity';
import { BRUSSELS, Clock } from '@ps/kernel';
import { DEMO_DECISION_LETTER, DEMO_STORY_SEED, demoCurrentCallDates, DEMO_USERS } from './demo-data';
import { GeneratorService } from './generator/generator.service';
import { SetupService } from './setup.service';

/** The year the demo's story copies into its current call; the three years of 2022–2025 before it are history. */
const LAST_HISTORY_YEAR = 3;

/**
 * The demo's story (issue 24, docs/demo.md). Years 1–3 keep their real dates and get fictional but complete history:
 * the data generator at 1× (applicants, reviewed applications, accepted KPI reports), then each year's allocation
 * published and its payments released, by two demo ABB people. Year 4 is the current call: created from year 3 by the
 * demo administrator, its window open around today and its project period ahead, everyone eligible may apply,
 * published. Every step runs once: a restart finds it done and changes nothing.
 */
@Injectable()
export class DemoStoryService {
  private readonly logger = new Logger('DemoStory');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: PlatformConfig,
    private readonly setup: SetupService,
    private readonly generator: GeneratorService,
    private readonly catalogue: CatalogueService,
    private readonly callLife: CallLifeService,
    private readonly calls: CallsAdministration,
    private readonly allocation: AllocationService,
    private readonly proposals: ProposalsService,
    private readonly settlements: SettlementService,
    private readonly authentication: AuthenticationService,
    private readonly clock: Clock,
  ) {}

  async tell(): Promise<void> {
    await this.setup.loadDemoUsers();
    const administrator = await this.demoActor('abb-administrator');
    const reviewer = await this.demoActor('abb-reviewer');
    if (await this.historyMissing()) {
      const result = await asOwner(this.config, this.dataSource, (owner) => this.generator.generate(owner, { scale: 1, seed: DEMO_STORY_SEED }));
      this.logger.log(`Demo history of years 1–${LAST_HISTORY_YEAR}: ${result.counts.application} applications, ${result.counts.kpi_report} reports.`);
    }
    for (let year = 1; year <= LAST_HISTORY_YEAR; year++) await this.allocateAndPay(year, reviewer, administrator);
    await this.openCurrentCall(administrator);
  }

  /** No applicant yet in years 1–3: the generator writes only into an empty history. */
  private async historyMissing(): Promise<boolean> {
    return (await this.setup.applicantCount()) === 0;
  }

  /**
   * A year's money, as it went: the allocation published and the advances released, then every approved application
   * with an accepted final report settled on the quantities it reported and the balances and recoveries released; each
   * release and the publication proposed by the reviewer and approved by the administrator. The services do the
   * arithmetic and the four eyes; the dates are then set to when it happened in the story (docs/demo.md). The audit
   * trail keeps the moment the demo wrote it: an audit trail is never backdated.
   */
  private async allocateAndPay(year: number, proposer: Actor, approver: Actor): Promise<void> {
    let run = (await this.allocation.runs(year)).find((r) => r.published);
    if (!run) {
      const simulated = await this.allocation.simulate(proposer, year, {});
      await this.twoPeople(proposer, approver, () =>
        this.proposals.proposePublication(proposer, simulated.id, { confirmPendingReview: true, reason: 'Demogeschiedenis' }),
      );
      run = (await this.allocation.runs(year)).find((r) => r.published)!;
      await this.releaseWaiting(run.id, proposer, approver);
      await this.setup.recordReportedResults(year, proposer.label);
      for (const applicationId of await this.setup.unsettledWithResults(year)) await this.settlements.settle(approver, applicationId);
      await this.releaseWaiting(run.id, proposer, approver);
      await this.setup.dateAsHistory(year);
    }
  }

  private async releaseWaiting(runId: number, proposer: Actor, approver: Actor): Promise<void> {
    const { payments } = await this.allocation.paymentList(runId);
    if (payments.some((payment) => payment.releasedAt === null)) await this.twoPeople(proposer, approver, () => this.proposals.proposeRelease(proposer, runId));
  }

  private async twoPeople(proposer: Actor, approver: Actor, propose: () => Promise<{ id: number; version: number }>): Promise<void> {
    const proposal = await propose();
    await this.proposals.approve(approver, proposal.id, { version: proposal.version });
  }

  /** Year 4 as a copy of year 3 with today's calendar, published; left alone once it exists. */
  private async openCurrentCall(administrator: Actor): Promise<void> {
    const calls = await this.catalogue.listCalls(true);
    if (calls.some((call) => call.yearNumber > LAST_HISTORY_YEAR)) return;
    const year = await this.callLife.createNext(administrator, LAST_HISTORY_YEAR);
    const dates = demoCurrentCallDates(this.clock.now());
    let call = await this.catalogue.getCallByYear(year, true);
    await this.calls.updateSettings(administrator, year, {
      version: call.version,
      submissionOpens: local(dates.submissionOpens),
      submissionCloses: local(dates.submissionCloses),
      decisionDate: dates.decisionDate,
      projectStart: dates.projectStart,
      projectEnd: dates.projectEnd,
      interimReportDue: local(dates.interimReportDue),
      finalReportDue: local(dates.finalReportDue),
      onlyExistingApplicants: 'false',
      applicantsOfYear: '',
      ...DEMO_DECISION_LETTER,
    });
    call = await this.catalogue.getCallByYear(year, true);
    await this.callLife.moveTo(administrator, year, 'published', call.version);
  }

  private async demoActor(role: 'abb-administrator' | 'abb-reviewer'): Promise<Actor> {
    const email = DEMO_USERS.find((user) => user.role === role)!.email;
    const id = await this.setup.userIdByEmail(email);
    return actorFor((await this.authentication.activeUser(id))!, 'system');
  }
}

/** A Brussels wall-clock time as the call settings take it. */
const local = (instant: Date): string => DateTime.fromJSDate(instant, { zone: BRUSSELS }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
