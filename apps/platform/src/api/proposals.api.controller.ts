import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ProposalDecisionDto, ProposalsService } from '@ps/allocation';
import { Actor, asSeenBy } from '@ps/identity';
import { Access } from '../auth/access.decorator';
import { CurrentActor } from './actor.decorator';
import { IdParams } from './params';

/** Four eyes on money: the proposals that wait for a second ABB person, their totals, approval and withdrawal. */
@ApiTags('proposals')
@ApiBearerAuth()
@Controller('api/v1/proposals')
export class ProposalsApiController {
  constructor(private readonly proposals: ProposalsService) {}

  /** The pending proposals, oldest first. */
  @Get()
  @Access({ permission: 'money:approve' })
  async pending(@CurrentActor() actor: Actor) {
    return asSeenBy(actor.role, await this.proposals.pending());
  }

  @Get(':id')
  @Access({ permission: 'money:approve' })
  async proposal(@CurrentActor() actor: Actor, @Param() { id }: IdParams) {
    return asSeenBy(actor.role, await this.proposals.get(id));
  }

  /** Carries the proposal out: another ABB person than the proposer, on unchanged inputs (else 409 with what changed). */
  @Post(':id/approve')
  @HttpCode(200)
  @Access({ permission: 'money:approve' })
  async approve(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Body() body: ProposalDecisionDto) {
    return asSeenBy(actor.role, await this.proposals.approve(actor, id, body));
  }

  /** The proposer or another ABB person withdraws it before approval; nothing else changes. */
  @Post(':id/withdraw')
  @HttpCode(200)
  @Access({ permission: 'money:approve' })
  async withdraw(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Body() body: ProposalDecisionDto) {
    return asSeenBy(actor.role, await this.proposals.withdraw(actor, id, body));
  }
}
