import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { ROLE_LABELS_NL } from '@ps/identity';
import { TasksReadModel } from '@ps/tasks';
import { Access } from '../auth/access.decorator';
import { translate } from './i18n';

/** "Mijn taken", where signing in lands: the actor's own next steps (docs/tasks.md). */
@ApiExcludeController()
@Controller('taken')
export class TasksWebController {
  constructor(private readonly tasks: TasksReadModel) {}

  @Get()
  @Access({ permission: 'account:manage', scopedByHandler: true })
  async page(@Req() req: Request, @Res() res: Response) {
    const actor = req.actor!;
    res.render('tasks', {
      title: translate('tasks.title'),
      page: 'tasks',
      groups: await this.tasks.forActor(actor),
      roleLabel: actor.role ? ROLE_LABELS_NL[actor.role] : '',
      empty: actor.role ? translate(`tasks.empty.${actor.role}`) : '',
    });
  }
}
