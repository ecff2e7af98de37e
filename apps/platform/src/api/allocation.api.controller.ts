import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { AllocationService, PublishDto, SimulateDto } from '@ps/allocation';
import { Actor } from '@ps/identity';
import { Access } from '../auth/access.decorator';
import { paymentListCsv } from '../documents/payment-list';
import { CurrentActor } from './actor.decorator';
import { CallParams } from './catalogue.api.controller';
import { IdParams } from './params';

@ApiTags('allocation')
@ApiBearerAuth()
@Controller('api/v1')
export class AllocationApiController {
  constructor(private readonly allocation: AllocationService) {}

  @Get('calls/:year/allocation-runs')
  @Access({ permission: 'allocation:read' })
  runs(@Param() { year }: CallParams) {
    return this.allocation.runs(year);
  }

  /** A simulation: computed and stored, changes no money. */
  @Post('calls/:year/allocation-runs')
  @HttpCode(201)
  @Access({ permission: 'allocation:manage' })
  simulate(@CurrentActor() actor: Actor, @Param() { year }: CallParams, @Body() body: SimulateDto) {
    return this.allocation.simulate(actor, year, body);
  }

  @Get('allocation-runs/:id')
  @Access({ permission: 'allocation:read' })
  run(@Param() { id }: IdParams) {
    return this.allocation.run(id);
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
    const file = paymentListCsv(await this.allocation.paymentList(id));
    res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${file.filename}"` }).send(file.content);
  }

  /** The applicant's allocation in the published run of its call, with the explanation; `share` is null until then. */
  @Get('applications/:id/allocation')
  @Access({ permission: 'applications:read', tenant: { kind: 'application', param: 'id' } })
  async share(@Param() { id }: IdParams) {
    const share = await this.allocation.publishedShareOf(id);
    return { published: share !== null, share };
  }
}
