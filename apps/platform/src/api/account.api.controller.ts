import { Controller, Delete, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, ApiTokensService } from '@ps/identity';
import { Access } from '../auth/access.decorator';
import { CurrentActor } from './actor.decorator';
import { IdParams } from './params';

@ApiTags('account')
@ApiBearerAuth()
@Controller('api/v1')
export class AccountApiController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Get('me')
  @Access({ permission: 'account:manage' })
  me(@CurrentActor() actor: Actor) {
    return { userId: actor.userId, label: actor.label, role: actor.role, localGovernmentId: actor.localGovernmentId, via: actor.via };
  }

  @Get('tokens')
  @Access({ permission: 'account:manage', scopedByHandler: true })
  tokensOf(@CurrentActor() actor: Actor) {
    return this.tokens.list(actor.userId!);
  }

  @Delete('tokens/:id')
  @Access({ permission: 'account:manage', scopedByHandler: true })
  revoke(@CurrentActor() actor: Actor, @Param() { id }: IdParams) {
    return this.tokens.revoke(actor, id);
  }
}
