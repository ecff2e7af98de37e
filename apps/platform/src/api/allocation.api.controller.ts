import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { AllocationService, ProposalsService, PublishDto, ResultDto, RunPageQuery, SettlementService, SimulateDto } from '@ps/allocation';
import { CallParams } from '@ps/catalogue';
import { PageQueryDto } from '@ps/database';
import { Actor, asSeenBy } from '@ps/identity';
import { Access } from '../auth/access.decorator';
import { paymentListCsv } from '../documents/payment-list';
import { sendCsv } from '../documents/send-file';
import { CurrentActor } from './actor.decorator';
import { IdParams, LineParams } from './params';

const tenant = { kind: 'application' as const, param: 'id' };

@ApiTags('allocation')
@ApiBearerAuth()
@Controller('api/v1')
export class AllocationApiController {
  constructor(
    private readonly allocation: AllocationService,
    private readonly settlements: SettlementService,
    private readonly proposals: ProposalsService,
  ) {}

  /** Who computed and published a run are personal data: null without audit:read-personal. */
  @Get('calls/:year/allocation-runs')
  @Access({ permission: 'allocation:read' })
  async runs(@CurrentActor() actor: Actor, @Param() { year }: CallParams) {
    return asSeenBy(actor.role, await this.allocation.runs(year));
  }

  /** A simulation: computed and stored, changes no money. */
  @Post('calls/:year/allocation-runs')
  @HttpCode(201)
  @Access({ permission: 'allocation:manage' })
  simulate(@CurrentActor() actor: Actor, @Param() { year }: CallParams, @Body() body: SimulateDto) {
    return this.allocation.simulate(actor, year, body);
  }

  /**
   * A run with its totals over all applicants, its shares per applicant and action a page at a time (`shares`:
   * `{ items, page, pageSize, total, pages }`, by applicant id; `page`, `pageSize`), and against another run (by default
   * the published one): how many applicants differ over both whole runs, and the differences of the page's applicants.
   */
  @Get('allocation-runs/:id')
  @Access({ permission: 'allocation:read' })
  async run(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Query() query: RunPageQuery) {
    const { compareWith, page, pageSize } = query;
    return asSeenBy(actor.role, await this.allocation.run(id, compareWith, { page, pageSize }));
  }

  /** Proposes the publication (four eyes): the run is published when another ABB person approves the proposal. */
  @Post('allocation-runs/:id/publish')
  @HttpCode(201)
  @Access({ permission: 'allocation:manage' })
  async publish(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Body() body: PublishDto) {
    return asSeenBy(actor.role, await this.proposals.proposePublication(actor, id, body));
  }

  /**
   * The payments the run ordered, with their release, a page at a time (`page`, `pageSize`: 50 by default, at most
   * 200), with the counts and sums of the whole list; only released ones go to finance (payments.csv, whole).
   */
  @Get('allocation-runs/:id/payments')
  @Access({ permission: 'payments:read' })
  async payments(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Query() { page, pageSize }: PageQueryDto) {
    const { run, totals, payments } = await this.allocation.paymentPage(id, { page, pageSize });
    return asSeenBy(actor.role, { run, totals, ...payments });
  }

  /** Proposes to release the payments not yet released (four eyes): released when another ABB person approves. */
  @Post('allocation-runs/:id/payments/release')
  @HttpCode(201)
  @Access({ permission: 'allocation:manage' })
  async release(@CurrentActor() actor: Actor, @Param() { id }: IdParams) {
    return asSeenBy(actor.role, await this.proposals.proposeRelease(actor, id));
  }

  /** The final payment list for finance: released payments only (409 while none is released). */
  @Get('allocation-runs/:id/payments.csv')
  @Access({ permission: 'payments:read' })
  async paymentsCsv(@Param() { id }: IdParams, @Res() res: Response) {
    sendCsv(res, paymentListCsv(await this.allocation.paymentList(id, true)));
  }

  /** The applicant's allocation in the published run of its call, with the explanation; `share` is null until then. */
  @Get('applications/:id/allocation')
  @Access({ permission: 'applications:read', tenant })
  async share(@Param() { id }: IdParams) {
    const share = await this.allocation.publishedShareOf(id);
    return { published: share !== null, share };
  }

  /** The balance or reclaim, line by line, as the applicant sees it; `statement` is null until the allocation is published. */
  @Get('applications/:id/settlement')
  @Access({ permission: 'applications:read', tenant })
  async settlement(@CurrentActor() actor: Actor, @Param() { id }: IdParams) {
    const statement = await this.settlements.statementIfPublished(id);
    return asSeenBy(actor.role, { published: statement !== null, statement });
  }

  /**
   * ABB records a confirmed line's final realised quantity, and may waive its reclaim with a reason. A waiver above the
   * call's threshold is proposed instead (202): the statement lists it under `pendingWaivers` until another ABB person approves.
   */
  @Put('applications/:id/settlement/lines/:kpiLineId')
  @Access({ permission: 'allocation:manage' })
  async recordResult(@CurrentActor() actor: Actor, @Param() { id, kpiLineId }: LineParams, @Body() body: ResultDto, @Res({ passthrough: true }) res: Response) {
    const { statement, proposal } = await this.proposals.recordResult(actor, id, kpiLineId, body);
    if (proposal) res.status(202);
    return statement;
  }

  /** Closes the settlement once every line is recorded and orders the balance payment or the recovery. */
  @Post('applications/:id/settlement/close')
  @HttpCode(200)
  @Access({ permission: 'allocation:manage' })
  settle(@CurrentActor() actor: Actor, @Param() { id }: IdParams) {
    return this.settlements.settle(actor, id);
  }
}
