import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { SecurityLog } from '@ps/audit';
import { CreateUserDto, Role, ROLE_LABELS_NL, ROLES, scopeOf, UpdateUserDto, UserListItem, UsersService } from '@ps/identity';
import { formatBrussels } from '@ps/kernel';
import { MailDelivery, MailOutbox } from '@ps/notifications';
import { OrganisationsService } from '@ps/organisations';
import { localGovernmentOptions } from './local-government-options';
import { Access } from '../auth/access.decorator';
import { FieldError, byField, formRefusal, invalidForm, validateForm } from './forms';
import { translate } from './i18n';
import { ParseIdPipe } from './parse-id.pipe';
import { redirectWithNotice } from './notice';

const SECURITY_PAGE_SIZE = 200;

@ApiExcludeController()
@Controller('beheer')
export class AdminWebController {
  constructor(
    private readonly users: UsersService,
    private readonly organisations: OrganisationsService,
    private readonly outbox: MailOutbox,
    private readonly delivery: MailDelivery,
    private readonly securityEvents: SecurityLog,
  ) {}

  @Get('gebruikers')
  @Access({ permission: 'users:manage' })
  async list(@Req() req: Request, @Res() res: Response) {
    const users = await this.users.list();
    const canReadSecurityLog = !!scopeOf(req.actor!.role, 'security-log:read');
    res.render('admin-users', {
      title: translate('admin.usersTitle'),
      page: 'admin',
      canReadSecurityLog,
      users: users.map((u) => ({ ...u, roleLabel: ROLE_LABELS_NL[u.role] })),
    });
  }

  @Get('gebruikers/nieuw')
  @Access({ permission: 'users:manage' })
  async newForm(@Res() res: Response) {
    res.render('admin-user-form', await this.formView({}));
  }

  @Post('gebruikers')
  @Access({ permission: 'users:manage' })
  async create(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateForm(CreateUserDto, body);
    let refused: FieldError[] = errors;
    let status = 422;
    if (errors.length === 0) {
      try {
        const user = await this.users.create(req.actor!, value);
        return redirectWithNotice(req, res, '/beheer/gebruikers', translate('admin.created', { email: user.email }));
      } catch (error) {
        ({ errors: refused, status } = formRefusal(error, 'email'));
      }
    }
    res.status(status).render('admin-user-form', await this.formView(body, refused));
  }

  @Get('gebruikers/:id')
  @Access({ permission: 'users:manage' })
  async editForm(@Param('id', ParseIdPipe) id: number, @Res() res: Response) {
    res.render('admin-user-form', await this.formView(await this.users.get(id)));
  }

  @Post('gebruikers/:id')
  @Access({ permission: 'users:manage' })
  async update(@Param('id', ParseIdPipe) id: number, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const existing = await this.users.get(id);
    const { value, errors } = validateForm(UpdateUserDto, body);
    let refused = invalidForm(errors);
    if (errors.length === 0) {
      try {
        await this.users.update(req.actor!, id, value);
        return redirectWithNotice(req, res, '/beheer/gebruikers', translate('admin.updated', { email: existing.email }));
      } catch (error) {
        refused = formRefusal(error, 'displayName');
      }
    }
    res.status(refused.status).render('admin-user-form', await this.formView({ ...existing, ...body, id }, refused.errors));
  }

  @Get('uitgaande-mail')
  @Access({ permission: 'outbox:read' })
  async mail(@Res() res: Response) {
    const mails = await this.outbox.latest();
    res.render('admin-outbox', {
      title: translate('admin.outboxTitle'),
      page: 'outbox',
      viaSmtp: this.delivery.viaSmtp,
      mails: mails.map((m) => ({ ...m, sent: formatBrussels(m.createdAt) })),
    });
  }

  @Get('beveiligingslog')
  @Access({ permission: 'security-log:read' })
  async securityLog(@Res() res: Response) {
    const events = await this.securityEvents.latest(SECURITY_PAGE_SIZE);
    res.render('admin-security-log', {
      title: translate('securityLog.title'),
      page: 'admin',
      size: SECURITY_PAGE_SIZE,
      events: events.map((e) => ({
        ...e,
        when: formatBrussels(e.occurredAt),
        who: e.userLabel ?? translate('securityLog.anonymous'),
        roleLabel: e.role && e.role in ROLE_LABELS_NL ? ROLE_LABELS_NL[e.role as Role] : '',
        reasonLabel: translate(`securityLog.reasons.${e.reason}`),
      })),
    });
  }

  private async formView(user: Partial<UserListItem> | Record<string, unknown>, errors: FieldError[] = []) {
    const choices = await this.organisations.choices();
    const editing = typeof user.id === 'number';
    const selectedLg = String(user.localGovernmentId ?? '');
    return {
      title: translate(editing ? 'admin.editTitle' : 'admin.newTitle'),
      page: 'admin',
      editing,
      user,
      errors,
      fieldErrors: byField(errors),
      roles: ROLES.map((role) => ({ value: role, label: ROLE_LABELS_NL[role], selected: role === user.role })),
      // Merged municipalities stay listed (their officers' accounts), with their period: Antwerpen is there before and after 2025.
      localGovernmentOptions: localGovernmentOptions(choices, 'account', { selected: selectedLg }),
      isActive: user.active === undefined || user.active === true || user.active === 'true',
    };
  }
}
