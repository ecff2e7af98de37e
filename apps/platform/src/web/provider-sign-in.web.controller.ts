import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { CountedAttempt, ProviderRefusal, ProviderSignInService, SignInThrottle, SignInThrottled } from '@ps/identity';
import { NotFound } from '@ps/kernel';
import { Public } from '../auth/access.decorator';
import { Authenticator } from '../auth/authenticator';
import { csrfToken } from '../auth/csrf';
import { IdentityProvider, PendingSignIn, ProviderCallbackInvalid } from '../auth/identity-provider';
import { markRefused } from '../auth/security-events';
import { translate } from './i18n';

declare module 'express-session' {
  interface SessionData {
    /** Between the redirect to the identity provider and the way back. */
    providerSignIn?: PendingSignIn;
    /** The ID token of a sign-in through the provider, for its sign-out (RP-initiated logout). */
    providerIdToken?: string;
  }
}

/** Only same-site paths after sign-in, as on the password form (whose link always names one). */
function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[\w\-./?=&%]*$/.test(value) && !value.startsWith('/aanmelden') ? value : '/account';
}

/**
 * Sign-in through the Flemish government's identity provider (ACM/IDM, OpenID Connect): away to the provider, and back
 * with a code that is redeemed, checked and mapped to an account (libs/identity, ProviderSignInService).
 */
@ApiExcludeController()
@Controller('aanmelden/acm-idm')
export class ProviderSignInWebController {
  constructor(
    private readonly provider: IdentityProvider,
    private readonly signIns: ProviderSignInService,
    private readonly authenticator: Authenticator,
    private readonly throttle: SignInThrottle,
  ) {}

  @Get()
  @Public()
  async start(@Query('terug') returnTo: unknown, @Req() req: Request, @Res() res: Response) {
    if (!this.provider.enabled) throw new NotFound();
    const { url, pending } = await this.provider.authorizationRedirect(safeReturnPath(returnTo));
    req.session.providerSignIn = pending;
    res.redirect(303, url);
  }

  @Get('terug')
  @Public()
  async callback(@Req() req: Request, @Res() res: Response) {
    if (!this.provider.enabled) throw new NotFound();
    let attempt: CountedAttempt;
    try {
      attempt = await this.throttle.admit(req.ip);
    } catch (error) {
      if (!(error instanceof SignInThrottled)) throw error;
      markRefused(req, error.scope === 'source' ? 'sign-in-throttled' : 'sign-in-throttled-global', 'ACM/IDM');
      res.setHeader('Retry-After', String(error.retryAfterSeconds));
      return this.refuse(res, 429, 'throttled', { message: error.message });
    }
    // One use: a replayed or second way back finds nothing to match.
    const pending = req.session.providerSignIn;
    delete req.session.providerSignIn;
    let redeemed: Awaited<ReturnType<IdentityProvider['redeem']>>;
    try {
      redeemed = await this.provider.redeem(req.originalUrl.split('?')[1] ?? '', pending);
    } catch (error) {
      if (!(error instanceof ProviderCallbackInvalid)) throw error;
      markRefused(req, 'provider-callback-invalid', error.code);
      return this.refuse(res, 400, 'invalid');
    }
    const outcome = await this.signIns.signIn(redeemed.issuer, redeemed.claims);
    if ('refused' in outcome) {
      markRefused(req, 'provider-refused', [outcome.refused, outcome.organisation, redeemed.claims.email].filter(Boolean).join(' '));
      return this.refuse(res, 403, outcome.refused, { organisation: outcome.organisation ?? '' });
    }
    await this.authenticator.logIn(req, outcome.user);
    req.session.providerIdToken = redeemed.idToken;
    csrfToken(req);
    await this.throttle.forgive(attempt);
    res.redirect(303, pending!.returnTo);
  }

  private refuse(res: Response, status: number, reason: ProviderRefusal | 'invalid' | 'throttled', values: Record<string, string> = {}) {
    res.status(status).render('provider-sign-in-refused', {
      title: translate('providerSignIn.refusedTitle'),
      heading: translate(`providerSignIn.refused.${reason}.heading`),
      message: values.message ?? translate(`providerSignIn.refused.${reason}.message`, values),
      whom: translate(`providerSignIn.refused.${reason}.whom`),
    });
  }
}
