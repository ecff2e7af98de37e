import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { SecurityLog } from '@ps/audit';
import { Actor, CreateUserDto, UpdateUserDto, UsersService } from '@ps/identity';
import { MailOutbox } from '@ps/notifications';
import { Access } from '../auth/access.decorator';
import { CurrentActor } from './actor.decorator';
import { IdParams } from './params';

export class SecurityEventsQuery {
  @ApiPropertyOptional({ description: 'How many events, newest first (1–500)', default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'Geef een geheel getal van 1 tot 500.' })
  @Min(1, { message: 'Geef een geheel getal van 1 tot 500.' })
  @Max(500, { message: 'Geef een geheel getal van 1 tot 500.' })
  limit?: number;

  @ApiPropertyOptional({ description: 'Only events older than this id (the next page)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'Geef het id van een melding.' })
  @Min(1, { message: 'Geef het id van een melding.' })
  @Max(Number.MAX_SAFE_INTEGER, { message: 'Geef het id van een melding.' })
  beforeId?: number;
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1')
export class UsersApiController {
  constructor(
    private readonly users: UsersService,
    private readonly outbox: MailOutbox,
    private readonly securityLog: SecurityLog,
  ) {}

  @Get('users')
  @Access({ permission: 'users:manage' })
  list() {
    return this.users.list();
  }

  @Post('users')
  @HttpCode(201)
  @Access({ permission: 'users:manage' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateUserDto) {
    return this.users.create(actor, body);
  }

  @Get('users/:id')
  @Access({ permission: 'users:manage' })
  get(@Param() { id }: IdParams) {
    return this.users.get(id);
  }

  @Patch('users/:id')
  @Access({ permission: 'users:manage' })
  update(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Body() body: UpdateUserDto) {
    return this.users.update(actor, id, body);
  }

  @Get('outbox')
  @Access({ permission: 'outbox:read' })
  mail() {
    return this.outbox.latest();
  }

  /** Refused requests (failed sign-ins, refused tokens, 403s, cross-tenant 404s), newest first. */
  @Get('security-events')
  @Access({ permission: 'security-log:read' })
  securityEvents(@Query() query: SecurityEventsQuery) {
    return this.securityLog.latest(query.limit ?? 100, query.beforeId);
  }
}
