import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { AuthenticationService, ForgotPasswordDto, ResetPasswordDto, SignInDto, SignInOutcome, SignInThrottle, SignInThrottled } from '@ps/identity';
import { Access, Public } from '../auth/access.decorator';
import { Authenticator } from '../auth/authenticator';
import { IdentityProvider } from '../auth/identity-provider';
import { csrfToken } from '../auth/csrf';
import { markRefused } from '../auth/security-events';
import { byField, FieldError, refusalAsFieldErrors, validateForm } from './forms';
import { translate } from './i18n';

/** Only same-site paths, so the sign-in form cannot send anyone elsewhere; without one, signing in lands on "Mijn taken". */
function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[\w\-./?=&%]*$/.test(value) && !value.startsWith('/aanmelden') ? value : '/taken';
}

/** The address as tried, for the security log's detail. */
const triedAddress = (email: unknown): string => String(email).trim().toLowerCase();

/** A throttled form: 429 with Retry-After, logged, and the wait in the error summary, linked to the e-mail field. */
function refuseThrottled(req: Request, res: Response, refusal: SignInThrottled, view: string, locals: Record<string, unknown>): void {
  markRefused(req, refusal.scope === 'source' ? 'sign-in-throttled' : 'sign-in-throttled-global', triedAddress(req.body?.email));
  const errors: FieldError[] = [{ field: 'email', message: refusal.message }];
  res.setHeader('Retry-After', String(refusal.retryAfterSeconds));
  res.status(429).render(view, { ...locals, errors, fieldErrors: byField(errors) });
}

@ApiExcludeController()
@Controller()
export class AuthWebController {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly auth: AuthenticationService,
    private readonly throttle: SignInThrottle,
    private readonly provider: IdentityProvider,
  ) {}

  @Get('aanmelden')
  @Public()
  signInForm(@Query('terug') returnTo: unknown, @Req() req: Request, @Res() res: Response) {
    csrfToken(req);
    res.render('sign-in', {
      title: translate('signIn.title'),
      returnTo: safeReturnPath(returnTo),
      email: '',
      provider: this.providerLink(safeReturnPath(returnTo)),
    });
  }

  @Post('aanmelden')
  @Public()
  async signIn(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const returnTo = safeReturnPath(body.terug);
    const { errors } = validateForm(SignInDto, { email: body.email, password: body.password });
    let outcome: SignInOutcome | null;
    try {
      outcome = errors.length === 0 ? await this.authenticator.verify(req, res) : null;
    } catch (error) {
      if (!(error instanceof SignInThrottled)) throw error;
      return refuseThrottled(req, res, error, 'sign-in', { title: translate('signIn.title'), email: body.email, returnTo });
    }
    const user = outcome?.user;
    if (!user) {
      const passwordOff = outcome !== null && 'passwordOff' in outcome && outcome.passwordOff === true;
      if (outcome) markRefused(req, passwordOff ? 'sign-in-password-off' : outcome.locked ? 'sign-in-locked' : 'sign-in-failed', triedAddress(body.email));
      const shown: FieldError[] = errors.length > 0 ? errors : [{ field: 'email', message: translate(passwordOff ? 'signIn.passwordOff' : 'signIn.failed') }];
      return res.status(errors.length > 0 ? 422 : 401).render('sign-in', {
        title: translate('signIn.title'),
        errors: shown,
        fieldErrors: byField(shown),
        email: body.email,
        returnTo,
        provider: this.providerLink(returnTo),
      });
    }
    await this.authenticator.logIn(req, user);
    csrfToken(req);
    res.redirect(303, returnTo);
  }

  @Post('afmelden')
  @Access({ permission: 'account:manage' })
  async signOut(@Req() req: Request, @Res() res: Response) {
    const idToken = req.session.providerIdToken;
    await this.authenticator.logOut(req);
    res.clearCookie('ps.sid');
    // Signed in through the identity provider: its session ends too, where it offers that (RP-initiated logout).
    const providerSignOut = idToken ? await this.provider.endSessionUrl(idToken) : null;
    res.redirect(303, providerSignOut ?? '/aanmelden?afgemeld=1');
  }

  /** The way to sign in through the identity provider, when it is configured. */
  private providerLink(returnTo: string): string | null {
    return this.provider.enabled ? `/aanmelden/acm-idm?terug=${encodeURIComponent(returnTo)}` : null;
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
  async forgot(@Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateForm(ForgotPasswordDto, body);
    const email = (body as { email?: string }).email;
    if (errors.length > 0) return res.status(422).render('forgot-password', { title: translate('forgot.title'), errors, fieldErrors: byField(errors), email });
    // Every request counts against the source, whether or not the address exists: counting only some would tell which.
    try {
      await this.throttle.admit(req.ip);
    } catch (error) {
      if (!(error instanceof SignInThrottled)) throw error;
      return refuseThrottled(req, res, error, 'forgot-password', { title: translate('forgot.title'), email });
    }
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
