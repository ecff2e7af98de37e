import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor } from '@ps/identity';
import { Messages } from '@ps/notifications';
import { Access } from '../auth/access.decorator';
import { CurrentActor } from './actor.decorator';
import { IdParams } from './params';

/** The signed-in user's own notices ("Berichten"); nobody reads another's. */
@ApiTags('messages')
@ApiBearerAuth()
@Controller('api/v1/messages')
export class MessagesApiController {
  constructor(private readonly messages: Messages) {}

  @Get()
  @Access({ permission: 'account:manage', scopedByHandler: true })
  async list(@CurrentActor() actor: Actor) {
    return { unread: await this.messages.unreadCount(actor.userId!), messages: await this.messages.of(actor.userId!) };
  }

  @Post(':id/read')
  @HttpCode(204)
  @Access({ permission: 'account:manage', scopedByHandler: true })
  async markRead(@CurrentActor() actor: Actor, @Param() { id }: IdParams): Promise<void> {
    await this.messages.markRead(actor.userId!, id);
  }
}
