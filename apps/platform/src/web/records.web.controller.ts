import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { seesDraftCalls } from '@ps/applications';
import { CatalogueService } from '@ps/catalogue';
import { AuditService } from '@ps/audit';
import { historyAccess } from '@ps/identity';
import { formatBrussels, NotFound } from '@ps/kernel';
import { Access } from '../auth/access.decorator';
import { actionName, actorName, describeChanges } from '../documents/history-text';
import { translate } from './i18n';

@ApiExcludeController()
@Controller()
export class RecordsWebController {
  constructor(
    private readonly audit: AuditService,
    private readonly catalogue: CatalogueService,
  ) {}

  @Get('geschiedenis/:entityType/:entityId')
  @Access({ permission: 'audit:read', scopedByHandler: true })
  async history(@Param('entityType') entityType: string, @Param('entityId') entityId: string, @Req() req: Request, @Res() res: Response) {
    if (!/^[a-z][a-z-]{1,59}$/.test(entityType) || !/^[A-Za-z0-9-]{1,60}$/.test(entityId)) throw new NotFound();
    // A draft call is ABB's only, and so is its history.
    if (entityType === 'call' && /^\d{1,2}$/.test(entityId) && !seesDraftCalls(req.actor!.role) && (await this.catalogue.isDraft(Number(entityId))))
      throw new NotFound();
    const access = historyAccess(req.actor!, entityType);
    const entries = await this.audit.history(entityType, entityId, access);
    res.render('history', {
      title: translate('history.title'),
      entityType: translate(`history.types.${entityType}`, {}, 'nl', entityType),
      entityTypeCode: entityType,
      entityId,
      personal: access.personal,
      entries: entries.map((e) => ({
        ...e,
        when: formatBrussels(e.occurredAt),
        who: e.actorLabel && actorName(e.actorLabel),
        name: actionName(e.action),
        changes: describeChanges(e.before, e.after),
      })),
    });
  }
}
