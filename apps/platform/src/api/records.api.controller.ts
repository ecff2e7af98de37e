import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches, MaxLength } from 'class-validator';
import { AuditService } from '@ps/audit';
import { Actor, scopeOf } from '@ps/identity';
import { Access } from '../auth/access.decorator';
import { ownScope } from '../auth/own-scope';
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

  @Get('history/:entityType/:entityId')
  @Access({ permission: 'audit:read', scopedByHandler: true })
  history(@CurrentActor() actor: Actor, @Param() { entityType, entityId }: HistoryParams) {
    return this.audit.history(entityType, entityId, ownScope(actor, 'audit:read'), !!scopeOf(actor.role, 'audit:read-personal'));
  }
}
