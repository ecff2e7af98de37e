import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { seesDraftCalls } from '@ps/applications';
import { CatalogueService } from '@ps/catalogue';
import { AuditService, HistoryParams } from '@ps/audit';
import { Actor, historyAccess } from '@ps/identity';
import { NotFound } from '@ps/kernel';
import { Access } from '../auth/access.decorator';
import { CurrentActor } from './actor.decorator';

@ApiTags('records')
@ApiBearerAuth()
@Controller('api/v1')
export class RecordsApiController {
  constructor(
    private readonly audit: AuditService,
    private readonly catalogue: CatalogueService,
  ) {}

  /** Needs the read permission of the record too (`historyAccess`); without audit:read-personal, who acted and personal fields are null. */
  @Get('history/:entityType/:entityId')
  @Access({ permission: 'audit:read', scopedByHandler: true })
  async history(@CurrentActor() actor: Actor, @Param() { entityType, entityId }: HistoryParams) {
    // A draft call is ABB's only, and so is its history.
    if (entityType === 'call' && /^\d{1,2}$/.test(entityId) && !seesDraftCalls(actor.role) && (await this.catalogue.isDraft(Number(entityId))))
      throw new NotFound();
    return this.audit.history(entityType, entityId, historyAccess(actor, entityType));
  }
}
