import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { AllocationService, CompareQuery, PublishDto, ResultDto, SettlementService, SimulateDto } from '@ps/allocation';
import { CallParams } from '@ps/catalogue';
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

  /** A run with its shares per applicant and action, and the applicants whose amount differs from another run (by default the published one). */
  @Get('allocation-runs/:id')
  @Access({ permission: 'allocation:read' })
  async run(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Query() { compareWith }: CompareQuery) {
    return asSeenBy(actor.role, await this.allocation.run(id, compareWith));
  }

  @Post('allocation-runs/:id/publish')
  @HttpCode(200)
  @Access({ permission: 'allocation:manage' })
  publish(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Body() body: PublishDto) {
    return this.allocation.publish(actor, id, body);
  }

  @Get('allocation-runs/:id/payments')
  @Access({ permission: 'payments:read' })
  payments(@Param() { id }: IdParams) {
    return this.allocation.paymentList(id);
  }

  @Get('allocation-runs/:id/payments.csv')
  @Access({ permission: 'payments:read' })
  async paymentsCsv(@Param() { id }: IdParams, @Res() res: Response) {
    sendCsv(res, paymentListCsv(await this.allocation.paymentList(id)));
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

  /** ABB records a confirmed line's final realised quantity, and may waive its reclaim with a reason. */
  @Put('applications/:id/settlement/lines/:kpiLineId')
  @Access({ permission: 'allocation:manage' })
  recordResult(@CurrentActor() actor: Actor, @Param() { id, kpiLineId }: LineParams, @Body() body: ResultDto) {
    return this.settlements.recordResult(actor, id, kpiLineId, body);
  }

  /** Closes the settlement once every line is recorded and orders the balance payment or the recovery. */
  @Post('applications/:id/settlement/close')
  @HttpCode(200)
  @Access({ permission: 'allocation:manage' })
  settle(@CurrentActor() actor: Actor, @Param() { id }: IdParams) {
    return this.settlements.settle(actor, id);
  }
}
