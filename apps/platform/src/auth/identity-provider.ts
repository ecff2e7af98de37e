import { Injectable, Logger } from '@nestjs/common';
import type * as OpenIdClient from 'openid-client';
import { PlatformConfig } from '@ps/config';
import { Unavailable } from '@ps/kernel';

/** What the session keeps between the redirect to the provider and the way back; never sent to the browser. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

/** A way back from the provider that proves nothing: tampered or replayed state, wrong nonce, expired or used code, an error. */
export class ProviderCallbackInvalid extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/**
 * openid-client is ESM only. Jest's module system cannot require() it, so it is loaded with a real import() (kept as
 * such, not compiled into require()). The function is compiled afresh at each call, with a body of its own: a function
 * compiled once per module can keep the dynamic-import hook of the first jest test file of a worker, torn down by the
 * next file ("Test environment has been torn down").
 */
let imports = 0;
export function importEsm<T>(specifier: string): Promise<T> {
  imports += 1;
  return (new Function('specifier', `return import(specifier); // ${process.pid}-${Date.now()}-${imports}`) as (s: string) => Promise<T>)(specifier);
}

/**
 * The OpenID Connect relying party (openid-client): the authorisation-code flow with PKCE, state and nonce, against the
 * provider named by OIDC_ISSUER. Its metadata is read on first use, so the platform starts while the provider is down.
 */
@Injectable()
export class IdentityProvider {
  private readonly logger = new Logger('IdentityProvider');
  private configuration?: Promise<{ client: typeof OpenIdClient; config: OpenIdClient.Configuration }>;

  constructor(private readonly platform: PlatformConfig) {}

  get enabled(): boolean {
    return this.platform.identityProvider !== null;
  }

  /** The provider's origin, which forms that end in a redirect to it (sign-out) must be allowed to reach. */
  get origin(): string | null {
    const settings = this.platform.identityProvider;
    return settings ? new URL(settings.issuer).origin : null;
  }

  /** Where to send the browser, and what the session must keep to check the way back. */
  async authorizationRedirect(returnTo: string): Promise<{ url: string; pending: PendingSignIn }> {
    const { client, config } = await this.connect();
    const pending = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier(), returnTo };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings().redirectUri,
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /**
   * Redeems the code of the way back (`query`: the callback's query string) for the verified claims of the ID token and the
   * user info, and the ID token itself (for sign-out). Refuses (ProviderCallbackInvalid) anything that does not match.
   */
  async redeem(query: string, pending: PendingSignIn | undefined): Promise<{ issuer: string; claims: Record<string, unknown>; idToken: string }> {
    if (!pending) throw new ProviderCallbackInvalid('no-pending-sign-in');
    const { client, config } = await this.connect();
    const callback = new URL(this.settings().redirectUri);
    callback.search = query;
    try {
      const tokens = await client.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idTokenClaims = tokens.claims()!;
      const userInfo = config.serverMetadata().userinfo_endpoint
        ? await client.fetchUserInfo(config, tokens.access_token, idTokenClaims.sub)
        : ({} as Record<string, unknown>);
      return { issuer: config.serverMetadata().issuer, claims: { ...userInfo, ...idTokenClaims }, idToken: tokens.id_token! };
    } catch (error) {
      const code = (error as { code?: string; error?: string }).error ?? (error as { code?: string }).code ?? 'invalid-response';
      this.logger.warn(`sign-in through the identity provider refused: ${code}: ${(error as Error).message}`);
      throw new ProviderCallbackInvalid(code);
    }
  }

  /** The provider's end-session address (RP-initiated logout), or null when it offers none. */
  async endSessionUrl(idToken: string | undefined): Promise<string | null> {
    if (!this.enabled) return null;
    try {
      const { client, config } = await this.connect();
      if (!config.serverMetadata().end_session_endpoint) return null;
      const params: Record<string, string> = { post_logout_redirect_uri: this.settings().postLogoutRedirectUri, client_id: this.settings().clientId };
      if (idToken) params.id_token_hint = idToken;
      return client.buildEndSessionUrl(config, params).href;
    } catch {
      // The platform session is over either way; a provider that cannot be reached keeps its own.
      return null;
    }
  }

  private settings() {
    const settings = this.platform.identityProvider;
    if (!settings) throw new Unavailable('Aanmelden via ACM/IDM is op dit platform niet ingesteld.');
    return settings;
  }

  private connect(): Promise<{ client: typeof OpenIdClient; config: OpenIdClient.Configuration }> {
    const settings = this.settings();
    this.configuration ??= (async () => {
      const client = await importEsm<typeof OpenIdClient>('openid-client');
      const issuer = new URL(settings.issuer);
      // Plain http only reaches a provider on this machine (config refuses it otherwise, and in production).
      const options = issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined;
      const config = await client.discovery(issuer, settings.clientId, settings.clientSecret, undefined, options);
      return { client, config };
    })();
    return this.configuration.catch((error) => {
      this.configuration = undefined;
      this.logger.error(`identity provider unreachable: ${(error as Error).message}`);
      throw new Unavailable('Het aanmeldplatform van de Vlaamse overheid is nu niet bereikbaar. Probeer het over enkele minuten opnieuw.');
    });
  }
}
