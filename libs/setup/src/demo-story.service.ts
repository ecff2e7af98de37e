import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { AllocationService, ProposalsService } from '@ps/allocation';
import { CallLifeService, CallsAdministration } from '@ps/applications';
import { CatalogueService } from '@ps/catalogue';
import { PlatformConfig } from '@ps/config';
import { asOwner } from '@ps/database';
import { Actor, actorFor, AuthenticationService } from '@ps/identity';
import { BRUSSELS, Clock } from '@ps/kernel';
import { DEMO_STORY_SEED, demoCurrentCallDates, DEMO_USERS } from './demo-data';
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

  /** A year's allocation, published and its payments released, each proposed by the reviewer and approved by the administrator. */
  private async allocateAndPay(year: number, proposer: Actor, approver: Actor): Promise<void> {
    let run = (await this.allocation.runs(year)).find((r) => r.published);
    if (!run) {
      const simulated = await this.allocation.simulate(proposer, year, {});
      const proposal = await this.proposals.proposePublication(proposer, simulated.id, { confirmPendingReview: true, reason: 'Demogeschiedenis' });
      await this.proposals.approve(approver, proposal.id, { version: proposal.version });
      run = (await this.allocation.runs(year)).find((r) => r.published)!;
    }
    const { payments } = await this.allocation.paymentList(run.id);
    if (payments.some((payment) => payment.releasedAt === null)) {
      const proposal = await this.proposals.proposeRelease(proposer, run.id);
      await this.proposals.approve(approver, proposal.id, { version: proposal.version });
    }
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
