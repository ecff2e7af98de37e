import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { SecurityEventsQuery, SecurityLog } from '@ps/audit';
import { Actor, CreateUserDto, UpdateUserDto, UsersService } from '@ps/identity';
import { MailOutbox } from '@ps/notifications';
import { Access } from '../auth/access.decorator';
import { CurrentActor } from './actor.decorator';
import { IdParams } from './params';

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
