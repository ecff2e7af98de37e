import { randomBytes } from 'node:crypto';
import { Request } from 'express';
import { sameSecret } from '@ps/identity';

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
    flash?: string;
  }
}

/** The session's synchroniser token for forms, made on first use. */
export function csrfToken(req: Request): string {
  req.session.csrfToken ??= randomBytes(24).toString('base64url');
  return req.session.csrfToken;
}

/**
 * Whether an unsafe request carries the session's token: in the form field _csrf, the X-CSRF-Token header,
 * or (for file uploads, whose body is read after this check) the _csrf query parameter.
 */
export function hasValidCsrfToken(req: Request): boolean {
  const expected = req.session?.csrfToken;
  const given = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token') ?? req.query._csrf;
  return typeof expected === 'string' && typeof given === 'string' && sameSecret(expected, given);
}
