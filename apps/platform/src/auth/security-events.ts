import { NextFunction, Request, Response } from 'express';
import { SecurityLog, SecurityReason } from '@ps/audit';
import { SignedInUser } from '@ps/identity';

declare module 'express' {
  interface Request {
    refusal?: { reason: SecurityReason; detail?: string | null };
  }
}

/** Marks the request as refused for a reason the security log records once the response is sent. */
export function markRefused(req: Request, reason: SecurityReason, detail?: string | null): void {
  req.refusal = { reason, detail };
}

/**
 * After the response: a request marked as refused, or any other 403, goes to the security log.
 * Written after the response, so neither its time nor a failure to write changes what the caller gets.
 */
export function logRefusals(log: SecurityLog) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.on('finish', () => {
      const refusal = req.refusal ?? (res.statusCode === 403 ? { reason: 'refused-by-rule' as const } : undefined);
      if (!refusal) return;
      const user = req.user as SignedInUser | undefined;
      void log.record({
        userId: req.actor?.userId ?? user?.id ?? null,
        role: req.actor?.role ?? user?.role ?? null,
        localGovernmentId: req.actor?.localGovernmentId ?? user?.localGovernmentId ?? null,
        ip: req.ip ?? null,
        method: req.method,
        // Never the query string: it may carry a reset link's token.
        route: req.originalUrl.split('?')[0],
        status: res.statusCode,
        reason: refusal.reason,
        detail: refusal.detail ?? null,
      });
    });
    next();
  };
}

/** Nothing a signed-in user receives may be kept by a browser or proxy cache (a new token's secret least of all). */
export function noStoreWhenSignedIn(req: Request, res: Response, next: NextFunction): void {
  if (req.user || req.get('authorization')) res.setHeader('Cache-Control', 'no-store');
  next();
}
