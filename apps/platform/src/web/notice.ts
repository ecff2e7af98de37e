import { Request, Response } from 'express';

/**
 * Redirects after a change with a one-time notice for the next page. The session is saved first:
 * express-session would otherwise save it while the browser already follows the redirect.
 */
export async function redirectWithNotice(req: Request, res: Response, url: string, notice: string): Promise<void> {
  req.session.flash = notice;
  await new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
  res.redirect(303, url);
}
