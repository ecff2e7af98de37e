import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches, MaxLength } from 'class-validator';
import { AuditService } from '@ps/audit';
import { Actor, historyAccess } from '@ps/identity';
import { Access } from '../auth/access.decorator';
import { CurrentActor } from './actor.decorator';

export class HistoryParams {
  @ApiProperty({ example: 'user' }) @Matches(/^[a-z][a-z-]{1,59}$/, { message: 'soort record is ongeldig' }) @MaxLength(60) entityType: string;
  @ApiProperty({ example: '1' }) @Matches(/^[A-Za-z0-9-]{1,60}$/, { message: 'record-id is ongeldig' }) @MaxLength(60) entityId: string;
}

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
