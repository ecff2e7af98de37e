import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { AuditService } from '@ps/audit';
import { scopeOf } from '@ps/identity';
import { formatBrussels, NotFound } from '@ps/kernel';
import { Access } from '../auth/access.decorator';
import { ownScope } from '../auth/own-scope';
import { translate } from './i18n';

@ApiExcludeController()
@Controller()
export class RecordsWebController {
  constructor(private readonly audit: AuditService) {}

  @Get('geschiedenis/:entityType/:entityId')
  @Access({ permission: 'audit:read', scopedByHandler: true })
  async history(@Param('entityType') entityType: string, @Param('entityId') entityId: string, @Req() req: Request, @Res() res: Response) {
    if (!/^[a-z][a-z-]{1,59}$/.test(entityType) || !/^[A-Za-z0-9-]{1,60}$/.test(entityId)) throw new NotFound();
    const entries = await this.audit.history(entityType, entityId, ownScope(req.actor!, 'audit:read'), !!scopeOf(req.actor!.role, 'audit:read-personal'));
    res.render('history', {
      title: translate('history.title'),
      entityType: translate(`history.types.${entityType}`, {}, 'nl', entityType),
      entityId,
      entries: entries.map((e) => ({
        ...e,
        when: formatBrussels(e.occurredAt),
        beforeJson: e.before && JSON.stringify(e.before, null, 1),
        afterJson: e.after && JSON.stringify(e.after, null, 1),
      })),
    });
  }
}
