import { Injectable } from '@nestjs/common';
import { Request, Response } from 'express';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { AuthenticationService, SignedInUser, SignInOutcome } from '@ps/identity';

/** passport-local with server-side sessions; one Passport instance per application. */
@Injectable()
export class Authenticator {
  readonly passport = new Passport();
  /** Where the session store leaves the active user it read with a session, so that a request reads it once. */
  private sessionUsers?: { takeActiveUser(sid: string): SignedInUser | undefined };

  constructor(auth: AuthenticationService) {
    this.passport.use(
      // req.ip: the client as Express sees it (behind one trusted proxy hop when COOKIE_SECURE), for the throttle per source.
      new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true }, (req, email, password, done) => {
        auth
          .verifyCredentials(email, password, req.ip)
          .then(
            (outcome) =>
              outcome.user
                ? done(null, outcome.user)
                : done(null, false, { message: outcome.locked ? 'locked' : outcome.passwordOff ? 'password-off' : 'refused' }),
            done,
          );
      }),
    );
    this.passport.serializeUser((user, done) => done(null, (user as SignedInUser).id));
    this.passport.deserializeUser((req: Request, id: number, done: (error: unknown, user?: SignedInUser | false) => void) => {
      const read = this.sessionUsers?.takeActiveUser(req.sessionID);
      if (read?.id === id) return done(null, read);
      auth.activeUser(id).then((user) => done(null, user ?? false), done);
    });
  }

  /** The session store reads a session's user with the session: passport takes it from there (configure-auth.ts). */
  readUsersWithSessions(store: { takeActiveUser(sid: string): SignedInUser | undefined }): void {
    this.sessionUsers = store;
  }

  /** Checks the submitted e-mail and password; the user, or whether the address is locked. Rejects with SignInThrottled while the source must wait. */
  verify(req: Request, res: Response): Promise<SignInOutcome> {
    return new Promise((resolve, reject) => {
      const done = (error: unknown, user: SignedInUser | false, info?: { message?: string }) =>
        error ? reject(error) : resolve(user ? { user } : { user: null, locked: info?.message === 'locked', passwordOff: info?.message === 'password-off' });
      this.passport.authenticate('local', { session: false }, done)(req, res, reject);
    });
  }

  /** Starts a session for the user; passport regenerates the session id, so a planted one is useless. */
  logIn(req: Request, user: SignedInUser): Promise<void> {
    return new Promise((resolve, reject) => req.logIn(user, (error) => (error ? reject(error) : resolve())));
  }

  logOut(req: Request): Promise<void> {
    return new Promise((resolve, reject) =>
      req.logOut((error) => (error ? reject(error) : req.session.destroy((destroyError) => (destroyError ? reject(destroyError) : resolve())))),
    );
  }
}
