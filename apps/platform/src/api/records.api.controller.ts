import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ApplicantsService } from '@ps/applicants';
import { AuditService } from '@ps/audit';
import { CatalogueService } from '@ps/catalogue';
import { Actor, NotFound } from '@ps/identity';
import { Access } from '../auth/access.decorator';
import { ownScope } from '../auth/own-scope';
import { CurrentActor } from './actor.decorator';
import { IdParams } from './params';

export class HistoryParams {
  @ApiProperty({ example: 'user' }) @Matches(/^[a-z][a-z-]{1,59}$/, { message: 'soort record is ongeldig' }) entityType: string;
  @ApiProperty({ example: '1' }) @Matches(/^[A-Za-z0-9-]{1,60}$/, { message: 'record-id is ongeldig' }) entityId: string;
}

export class ApplicantsQuery {
  @ApiProperty({ required: false, example: 3, description: 'Project year; the latest when omitted' })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'projectjaar moet een geheel getal zijn' }) @Min(1) @Max(99)
  year?: number;
}

@ApiTags('records')
@ApiBearerAuth()
@Controller('api/v1')
export class RecordsApiController {
  constructor(private readonly audit: AuditService, private readonly applicants: ApplicantsService, private readonly catalogue: CatalogueService) {}

  @Get('history/:entityType/:entityId')
  @Access({ permission: 'audit:read', scopedByHandler: true })
  history(@CurrentActor() actor: Actor, @Param() { entityType, entityId }: HistoryParams) {
    return this.audit.history(entityType, entityId, ownScope(actor, 'audit:read'));
  }

  @Get('applicants')
  @Access({ permission: 'applicants:read', scopedByHandler: true })
  async list(@CurrentActor() actor: Actor, @Query() { year }: ApplicantsQuery) {
    const call = year ? await this.catalogue.getCallByYear(year) : await this.catalogue.latestCall();
    return call ? this.applicants.listForCall(call.id, ownScope(actor, 'applicants:read')) : [];
  }

  @Get('applicants/:id')
  @Access({ permission: 'applicants:read', tenant: { kind: 'applicant', param: 'id' } })
  async get(@Param() { id }: IdParams) {
    const applicant = await this.applicants.get(id);
    if (!applicant) throw new NotFound();
    return applicant;
  }
}
