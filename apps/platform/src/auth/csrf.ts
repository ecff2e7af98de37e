import { applyDecorators, CallHandler, ExecutionContext, ForbiddenException, Injectable, NestInterceptor, SetMetadata, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { Request } from 'express';
import { sameSecret } from '@ps/identity';
import { markRefused } from './security-events';

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
    flash?: string;
  }
}

export const CSRF_REFUSED = 'Het formulier is verlopen of ongeldig. Laad de pagina opnieuw en probeer nog eens.';
export const CSRF_AFTER_UPLOAD = 'ps:csrf-after-upload';

/** The session's synchroniser token for forms, made on first use. */
export function csrfToken(req: Request): string {
  req.session.csrfToken ??= randomBytes(24).toString('base64url');
  return req.session.csrfToken;
}

/**
 * Whether an unsafe request carries the session's token: in the form field _csrf or the X-CSRF-Token header.
 * Never the query string, where addresses end up in logs, browser history and Referer headers.
 */
export function hasValidCsrfToken(req: Request): boolean {
  const expected = req.session?.csrfToken;
  const given = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
  return typeof expected === 'string' && typeof given === 'string' && sameSecret(expected, given);
}

/** Checks the token of a multipart form once its fields are read; the guard leaves such routes to this. */
@Injectable()
export class CsrfAfterUploadInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    const req = context.switchToHttp().getRequest<Request>();
    // Only a caller signed in by token is exempt, as in the guard: any other Authorization header is no sign-in.
    if (req.actor?.via !== 'token' && !hasValidCsrfToken(req)) {
      markRefused(req, 'csrf-invalid');
      throw new ForbiddenException({ statusCode: 403, message: CSRF_REFUSED });
    }
    return next.handle();
  }
}

/** A file upload from a web form: multer reads the form, then its _csrf field is checked like any other form's. */
export function CsrfCheckedUpload(field: string, options: Parameters<typeof FileInterceptor>[1]) {
  return applyDecorators(SetMetadata(CSRF_AFTER_UPLOAD, true), UseInterceptors(FileInterceptor(field, options), CsrfAfterUploadInterceptor));
}
