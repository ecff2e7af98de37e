import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { formatBrussels } from '@ps/kernel';
import { Messages } from '@ps/notifications';
import { Access } from '../auth/access.decorator';
import { translate } from './i18n';
import { ParseIdPipe } from './parse-id.pipe';

/** "Berichten": the signed-in user's own notices, newest first; the header shows how many are unread. */
@ApiExcludeController()
@Controller('berichten')
export class MessagesWebController {
  constructor(private readonly messages: Messages) {}

  @Get()
  @Access({ permission: 'account:manage', scopedByHandler: true })
  async page(@Req() req: Request, @Res() res: Response) {
    const messages = await this.messages.of(req.actor!.userId!);
    res.render('messages', {
      title: translate('messages.title'),
      page: 'messages',
      messages: messages.map((m) => ({ ...m, received: formatBrussels(m.createdAt) })),
    });
  }

  @Post(':id/gelezen')
  @Access({ permission: 'account:manage', scopedByHandler: true })
  async markRead(@Param('id', ParseIdPipe) id: number, @Req() req: Request, @Res() res: Response) {
    await this.messages.markRead(req.actor!.userId!, id);
    res.redirect(303, `/berichten#bericht-${id}`);
  }
}
