import { NextFunction, Request, Response } from 'express';
import { SignedInUser } from '@ps/identity';
import { Messages } from '@ps/notifications';

/** Paths that never render a page with the header. */
const NO_PAGE = /^\/(api|assets|metrics|health|ready)(\/|$)/;

/** The signed-in user's number of unread messages, for the header of every page ("Berichten"). */
export function unreadMessages(messages: Messages) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const user = req.user as SignedInUser | undefined;
    if (!user || req.method !== 'GET' || NO_PAGE.test(req.path)) return next();
    messages.unreadCount(user.id).then(
      (count) => {
        res.locals.unreadMessages = count;
        next();
      },
      // The page itself will tell when the database is down; the header goes without its count.
      () => next(),
    );
  };
}
