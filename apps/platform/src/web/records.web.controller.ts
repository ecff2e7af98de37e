import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { ApplicantsService } from '@ps/applicants';
import { AuditService } from '@ps/audit';
import { CatalogueService } from '@ps/catalogue';
import { NotFound } from '@ps/identity';
import { formatBrussels } from '@ps/kernel';
import { Access } from '../auth/access.decorator';
import { ownScope } from '../auth/own-scope';
import { translate } from './i18n';

@ApiExcludeController()
@Controller()
export class RecordsWebController {
  constructor(private readonly audit: AuditService, private readonly applicants: ApplicantsService, private readonly catalogue: CatalogueService) {}

  @Get('aanvragers')
  @Access({ permission: 'applicants:read', scopedByHandler: true })
  async applicantsPage(@Req() req: Request, @Res() res: Response) {
    const call = await this.catalogue.latestCall();
    const applicants = call ? await this.applicants.listForCall(call.id, ownScope(req.actor!, 'applicants:read')) : [];
    res.render('applicants', { title: translate('applicants.title'), page: 'applicants', call, applicants });
  }

  @Get('aanvragers/:id')
  @Access({ permission: 'applicants:read', tenant: { kind: 'applicant', param: 'id' } })
  async applicantPage(@Param('id') id: string, @Res() res: Response) {
    const applicant = await this.applicants.get(Number(id));
    if (!applicant) throw new NotFound();
    res.render('applicant', { title: applicant.nameNl, page: 'applicants', applicant });
  }

  @Get('geschiedenis/:entityType/:entityId')
  @Access({ permission: 'audit:read', scopedByHandler: true })
  async history(@Param('entityType') entityType: string, @Param('entityId') entityId: string, @Req() req: Request, @Res() res: Response) {
    if (!/^[a-z][a-z-]{1,59}$/.test(entityType) || !/^[A-Za-z0-9-]{1,60}$/.test(entityId)) throw new NotFound();
    const entries = await this.audit.history(entityType, entityId, ownScope(req.actor!, 'audit:read'));
    res.render('history', {
      title: translate('history.title'),
      entityType,
      entityId,
      entries: entries.map((e) => ({ ...e, when: formatBrussels(e.occurredAt), beforeJson: e.before && JSON.stringify(e.before, null, 1), afterJson: e.after && JSON.stringify(e.after, null, 1) })),
    });
  }
}
