import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { ApiTokensService, IssueTokenDto, ROLE_LABELS_NL } from '@ps/identity';
import { formatBrussels } from '@ps/kernel';
import { Access } from '../auth/access.decorator';
import { FieldError, byField, validateForm } from './forms';
import { translate } from './i18n';
import { ParseIdPipe } from './parse-id.pipe';

@ApiExcludeController()
@Controller('account')
export class AccountWebController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Get()
  @Access({ permission: 'account:manage', scopedByHandler: true })
  async page(@Req() req: Request, @Res() res: Response) {
    res.render('account', await this.view(req));
  }

  @Post('tokens')
  @Access({ permission: 'account:manage', scopedByHandler: true })
  async issue(@Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateForm(IssueTokenDto, body);
    if (errors.length > 0) return res.status(422).render('account', { ...(await this.view(req, errors)), tokenName: (body as { name?: string }).name });
    const { secret } = await this.tokens.issue(req.actor!, value.name, value.validDays);
    res.status(201).render('account', { ...(await this.view(req)), newSecret: secret });
  }

  @Post('tokens/:id/intrekken')
  @Access({ permission: 'account:manage', scopedByHandler: true })
  async revoke(@Param('id', ParseIdPipe) id: number, @Req() req: Request, @Res() res: Response) {
    await this.tokens.revoke(req.actor!, id);
    res.redirect(303, '/account');
  }

  private async view(req: Request, errors: FieldError[] = []) {
    const actor = req.actor!;
    const tokens = await this.tokens.list(actor.userId!);
    return {
      title: translate('account.title'),
      page: 'account',
      actorLabel: actor.label,
      roleLabel: actor.role ? ROLE_LABELS_NL[actor.role] : '',
      errors,
      fieldErrors: byField(errors),
      tokens: tokens.map((token) => ({
        ...token,
        created: formatBrussels(token.createdAt),
        expires: formatBrussels(token.expiresAt),
        lastUsed: token.lastUsedAt ? formatBrussels(token.lastUsedAt) : null,
        active: !token.revokedAt && token.expiresAt > new Date(),
      })),
    };
  }
}
