import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuditService, HistoryParams } from '@ps/audit';
import { Actor, historyAccess } from '@ps/identity';
import { Access } from '../auth/access.decorator';
import { CurrentActor } from './actor.decorator';

@ApiTags('records')
@ApiBearerAuth()
@Controller('api/v1')
export class RecordsApiController {
  constructor(private readonly audit: AuditService) {}

  /** Needs the read permission of the record too (`historyAccess`); without audit:read-personal, who acted and personal fields are null. */
  @Get('history/:entityType/:entityId')
  @Access({ permission: 'audit:read', scopedByHandler: true })
  history(@CurrentActor() actor: Actor, @Param() { entityType, entityId }: HistoryParams) {
    return this.audit.history(entityType, entityId, historyAccess(actor, entityType));
  }
}
