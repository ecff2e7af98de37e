import { generateKeyPairSync } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import request from 'supertest';
import { ORGANISATION_CLAIM, ROLE_CLAIM } from '@ps/identity';
import { importEsm } from '../../apps/platform/src/auth/identity-provider';

/**
 * A real OpenID provider (the `oidc-provider` package) on 127.0.0.1, standing in for ACM/IDM: one client (the
 * platform) and the test accounts below. Its development login form takes any password for a known login.
 */
export const TEST_CLIENT = { id: 'plan-samenleven', secret: 'test-client-secret-of-plan-samenleven' };

/** Gent's KBO number in the tests (fictional but well-formed); the tests give it to Gent's local government. */
export const GENT_KBO = '0207451227';

export const TEST_ACCOUNTS: Record<string, Record<string, unknown>> = {
  officer: {
    email: 'an.peeters@gent.example',
    email_verified: true,
    given_name: 'An',
    family_name: 'Peeters',
    [ORGANISATION_CLAIM]: '0207.451.227',
    [ROLE_CLAIM]: [`medewerker:${GENT_KBO}`],
  },
  reviewer: { email: 'lies.maes@abb.example', email_verified: true, name: 'Lies Maes', [ORGANISATION_CLAIM]: 'ABB', [ROLE_CLAIM]: 'dossierbehandelaar' },
  administrator: { email: 'karel.wouters@abb.example', email_verified: true, name: 'Karel Wouters', [ORGANISATION_CLAIM]: 'ABB', [ROLE_CLAIM]: 'beheerder' },
  /** A VVSG analyst, who signs in twice at once the first time. */
  analyst: { email: 'els.janssens@vvsg.example', email_verified: true, name: 'Els Janssens', [ORGANISATION_CLAIM]: 'VVSG', [ROLE_CLAIM]: 'analist' },
  /** A municipality the platform does not know (no local government has this KBO number). */
  stranger: { email: 'jan@elders.example', email_verified: true, name: 'Jan Elders', [ORGANISATION_CLAIM]: '0999.999.999', [ROLE_CLAIM]: 'medewerker' },
  /** Gent, but no role for Plan Samenleven. */
  roleless: { email: 'mia@gent.example', email_verified: true, name: 'Mia Roos', [ORGANISATION_CLAIM]: GENT_KBO, [ROLE_CLAIM]: ['loket-lokale-besturen'] },
  /** The address of the demo's Gent officer (a local account), now through the provider: linked. */
  gentDemo: { email: 'medewerker@gent.demo', email_verified: true, name: 'Greet Medewerker', [ORGANISATION_CLAIM]: GENT_KBO, [ROLE_CLAIM]: 'medewerker' },
  /** The address of the demo's ABB reviewer, claimed by someone of Gent: never linked. */
  impostor: { email: 'beoordelaar@abb.demo', email_verified: true, name: 'Niet Bart', [ORGANISATION_CLAIM]: GENT_KBO, [ROLE_CLAIM]: 'medewerker' },
};

export interface TestProvider {
  issuer: string;
  /** Seconds an authorisation code lives when made; the expired-code test shortens it. */
  codeTtlSeconds: number;
  /** The settings that point the platform at this provider, for startTestApp's env. */
  env(redirectBase: string): Record<string, string>;
  close(): Promise<void>;
}

/** oidc-provider is ESM only: a real import() (not compiled into require()) loads it under jest and Node alike. */

/** A free port on 127.0.0.1, for a server whose address must be known before it starts. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts the provider for a platform reached at `redirectBase` (its redirect and sign-out addresses are registered). */
export async function startTestProvider(redirectBase: string): Promise<TestProvider> {
  const { default: Provider } = await importEsm<{ default: new (...args: unknown[]) => unknown }>('oidc-provider');
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const state = { codeTtlSeconds: 60 };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_CLIENT.id,
        client_secret: TEST_CLIENT.secret,
        redirect_uris: [`${redirectBase}/aanmelden/acm-idm/terug`],
        post_logout_redirect_uris: [`${redirectBase}/aanmelden?afgemeld=1`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [{ ...key, kid: 'test-signing-key', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: ['test-cookie-key-of-the-test-provider'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name', ORGANISATION_CLAIM, ROLE_CLAIM] },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    ttl: {
      AuthorizationCode: () => state.codeTtlSeconds,
      AccessToken: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    async findAccount(_ctx: unknown, sub: string) {
      const claims = TEST_ACCOUNTS[sub];
      return claims ? { accountId: sub, claims: async () => ({ sub, ...claims }) } : undefined;
    },
    // A first-party client: no consent screen, the grant covers what the platform asks.
    async loadExistingGrant(ctx: {
      oidc: { client: { clientId: string }; session: { accountId: string }; provider: { Grant: new (init: object) => GrantLike } };
    }) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile email');
      await grant.save();
      return grant;
    },
  }) as { callback(): Parameters<typeof createServer>[1] };
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    get codeTtlSeconds() {
      return state.codeTtlSeconds;
    },
    set codeTtlSeconds(value: number) {
      state.codeTtlSeconds = value;
    },
    env: (redirectBase2: string) => ({
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: TEST_CLIENT.id,
      OIDC_CLIENT_SECRET: TEST_CLIENT.secret,
      OIDC_REDIRECT_BASE_URL: redirectBase2,
    }),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

interface GrantLike {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}

/**
 * Walks the provider's pages as a browser would (cookies kept by the agent): from the authorisation address through
 * the login form (as `login`) to the redirect back to the platform, whose address it returns.
 */
export async function signInAtProvider(agent: ReturnType<typeof request.agent>, authorizationUrl: string, login: string): Promise<URL> {
  let url = new URL(authorizationUrl);
  for (let step = 0; step < 10; step++) {
    const res = await agent.get(url.pathname + url.search);
    if (res.status === 200 && /name="login"/.test(res.text)) {
      const action = new URL(/<form[^>]*action="([^"]+)"/.exec(res.text)![1].replace(/&amp;/g, '&'), url);
      const posted = await agent
        .post(action.pathname + action.search)
        .type('form')
        .send({ prompt: 'login', login, password: 'any password' });
      url = new URL(posted.headers.location, url);
      continue;
    }
    if (![302, 303].includes(res.status)) throw new Error(`provider answered ${res.status}: ${res.text.slice(0, 300)}`);
    const next = new URL(res.headers.location, url);
    if (next.origin !== url.origin) return next;
    url = next;
  }
  throw new Error('the provider did not send the browser back');
}
