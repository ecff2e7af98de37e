import { Injectable } from '@nestjs/common';
import { Request, Response } from 'express';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { AuthenticationService, SignedInUser } from '@ps/identity';

/** passport-local with server-side sessions; one Passport instance per application. */
@Injectable()
export class Authenticator {
  readonly passport = new Passport();

  constructor(auth: AuthenticationService) {
    this.passport.use(
      new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
        auth.verifyCredentials(email, password).then((user) => done(null, user ?? false), done);
      }),
    );
    this.passport.serializeUser((user, done) => done(null, (user as SignedInUser).id));
    this.passport.deserializeUser((id: number, done) => {
      auth.activeUser(id).then((user) => done(null, user ?? false), done);
    });
  }

  /** Checks the submitted e-mail and password; the user, or false. */
  verify(req: Request, res: Response): Promise<SignedInUser | false> {
    return new Promise((resolve, reject) => {
      this.passport.authenticate('local', { session: false }, (error: unknown, user: SignedInUser | false) => (error ? reject(error) : resolve(user)))(req, res, reject);
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
