import { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { DataSource } from 'typeorm';
import { SecurityLog } from '@ps/audit';
import { PlatformConfig } from '@ps/config';
import { Authenticator } from './authenticator';
import { IdentityProvider } from './identity-provider';
import { logRefusals, noStoreWhenSignedIn } from './security-events';
import { PostgresSessionStore } from './session-store';

export const SESSION_COOKIE = 'ps.sid';
const SESSION_HOURS = 8;

/** Security headers, server-side sessions in PostgreSQL and passport-local sign-in. */
export function configureAuth(app: NestExpressApplication, config: PlatformConfig): void {
  if (config.secureCookies) app.set('trust proxy', 1);
  // Signing out of a session that began at the identity provider posts a form that ends at the provider (RP-initiated logout).
  const provider = app.get(IdentityProvider).origin;

  const strict = helmet({
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'style-src': ["'self'"],
        'script-src': ["'self'"],
        'form-action': ["'self'", ...(provider ? [provider] : [])],
        'frame-ancestors': ["'none'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
      },
    },
  });
  // Swagger UI needs inline styles and its own init script; only its pages get this.
  const apiDocs = helmet({
    contentSecurityPolicy: {
      directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'script-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] },
    },
  });
  app.use((req: { path: string }, res: unknown, next: () => void) => (req.path.startsWith('/api/docs') ? apiDocs : strict)(req as never, res as never, next));

  const store = new PostgresSessionStore(app.get<DataSource>(getDataSourceToken()));
  app.use(
    withoutSession(
      session({
        name: SESSION_COOKIE,
        secret: config.sessionSecret,
        store,
        resave: false,
        saveUninitialized: false,
        rolling: true,
        cookie: { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, maxAge: SESSION_HOURS * 3_600_000 },
      }),
    ),
  );

  app.get(Authenticator).readUsersWithSessions(store);
  const authenticator = app.get(Authenticator).passport;
  app.use(authenticator.initialize());
  app.use(withoutSession(authenticator.session()));
  app.use(noStoreWhenSignedIn);
  app.use(logRefusals(app.get(SecurityLog)));
}

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

/**
 * Stylesheets, scripts and fonts are public and need no session: skipping it saves a session read and write per file,
 * and keeps a page's asset requests from racing its form posts on the session row. An API request without a cookie
 * (a bearer token, or nobody) has no session either: skipping it saves making a session id and object per request.
 */
function withoutSession(middleware: Middleware): Middleware {
  return (req, res, next) => (req.path.startsWith('/assets/') || (req.path.startsWith('/api/') && !req.headers.cookie) ? next() : middleware(req, res, next));
}
