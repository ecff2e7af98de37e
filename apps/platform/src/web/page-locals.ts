import { NextFunction, Request, Response } from 'express';
import { scopeOf, SignedInUser } from '@ps/identity';
import { csrfToken } from '../auth/csrf';

/** What every page's layout needs: the signed-in user, what the navigation may offer, a CSRF token, a one-time notice. */
export function pageLocals(req: Request, res: Response, next: NextFunction): void {
  const user = req.user as SignedInUser | undefined;
  res.locals.currentUser = user;
  const role = user?.role ?? null;
  res.locals.can = {
    manageUsers: !!scopeOf(role, 'users:manage'),
    readOutbox: !!scopeOf(role, 'outbox:read'),
    readEligibility: !!scopeOf(role, 'eligibility:read'),
    manageCalls: !!scopeOf(role, 'calls:manage'),
    readAllocation: !!scopeOf(role, 'allocation:read'),
    reviewReports: !!scopeOf(role, 'reports:queue'),
    readOverviews: !!scopeOf(role, 'overviews:read'),
  };
  res.locals.query = req.query;
  // Made only when a page renders a form (views read @root._locals.csrfToken), so reading pages creates no session.
  Object.defineProperty(res.locals, 'csrfToken', { get: () => csrfToken(req), enumerable: false });
  if (req.session?.flash) {
    res.locals.flash = req.session.flash;
    delete req.session.flash;
  }
  next();
}
