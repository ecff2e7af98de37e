import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { AuthenticationService, ForgotPasswordDto, ResetPasswordDto, SignInDto } from '@ps/identity';
import { Access, Public } from '../auth/access.decorator';
import { Authenticator } from '../auth/authenticator';
import { csrfToken } from '../auth/csrf';
import { markRefused } from '../auth/security-events';
import { byField, FieldError, refusalAsFieldErrors, validateForm } from './forms';
import { translate } from './i18n';

/** Only same-site paths, so the sign-in form cannot send anyone elsewhere. */
function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[\w\-./?=&%]*$/.test(value) && !value.startsWith('/aanmelden') ? value : '/account';
}

@ApiExcludeController()
@Controller()
export class AuthWebController {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly auth: AuthenticationService,
  ) {}

  @Get('aanmelden')
  @Public()
  signInForm(@Query('terug') returnTo: unknown, @Req() req: Request, @Res() res: Response) {
    csrfToken(req);
    res.render('sign-in', { title: translate('signIn.title'), returnTo: safeReturnPath(returnTo), email: '' });
  }

  @Post('aanmelden')
  @Public()
  async signIn(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const returnTo = safeReturnPath(body.terug);
    const { errors } = validateForm(SignInDto, { email: body.email, password: body.password });
    const outcome = errors.length === 0 ? await this.authenticator.verify(req, res) : null;
    const user = outcome?.user;
    if (!user) {
      if (outcome) markRefused(req, outcome.locked ? 'sign-in-locked' : 'sign-in-failed', String(body.email).trim().toLowerCase());
      const shown: FieldError[] = errors.length > 0 ? errors : [{ field: 'email', message: translate('signIn.failed') }];
      return res
        .status(errors.length > 0 ? 422 : 401)
        .render('sign-in', { title: translate('signIn.title'), errors: shown, fieldErrors: byField(shown), email: body.email, returnTo });
    }
    await this.authenticator.logIn(req, user);
    csrfToken(req);
    res.redirect(303, returnTo);
  }

  @Post('afmelden')
  @Access({ permission: 'account:manage' })
  async signOut(@Req() req: Request, @Res() res: Response) {
    await this.authenticator.logOut(req);
    res.clearCookie('ps.sid');
    res.redirect(303, '/aanmelden?afgemeld=1');
  }

  @Get('wachtwoord-vergeten')
  @Public()
  forgotForm(@Req() req: Request, @Res() res: Response) {
    csrfToken(req);
    res.render('forgot-password', { title: translate('forgot.title') });
  }

  @Post('wachtwoord-vergeten')
  @HttpCode(200)
  @Public()
  async forgot(@Body() body: unknown, @Res() res: Response) {
    const { value, errors } = validateForm(ForgotPasswordDto, body);
    if (errors.length > 0)
      return res
        .status(422)
        .render('forgot-password', { title: translate('forgot.title'), errors, fieldErrors: byField(errors), email: (body as { email?: string }).email });
    await this.auth.requestPasswordReset(value.email);
    res.render('forgot-password', { title: translate('forgot.title'), sent: true });
  }

  @Get('wachtwoord-herstellen')
  @Public()
  resetForm(@Query('token') token: unknown, @Req() req: Request, @Res() res: Response) {
    csrfToken(req);
    res.render('reset-password', { title: translate('reset.title'), token: typeof token === 'string' ? token : '' });
  }

  @Post('wachtwoord-herstellen')
  @Public()
  async reset(@Body() body: Record<string, unknown>, @Res() res: Response) {
    const { value, errors: invalid } = validateForm(ResetPasswordDto, body);
    // The token is not something the user can correct in the form: its message links nowhere.
    const errors = invalid.map((error) => (error.field === 'token' ? { field: '', message: translate('reset.invalidLink') } : error));
    const view = { title: translate('reset.title'), token: typeof body.token === 'string' ? body.token : '' };
    if (errors.length > 0) return res.status(422).render('reset-password', { ...view, errors, fieldErrors: byField(errors) });
    try {
      await this.auth.resetPassword(value.token, value.password);
    } catch (error) {
      const refused = refusalAsFieldErrors(error, '');
      return res.status(400).render('reset-password', { ...view, errors: refused, fieldErrors: byField(refused) });
    }
    res.redirect(303, '/aanmelden?wachtwoord=1');
  }
}
