import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '@ps/database';
import { AuditService } from '@ps/audit';
import { PlatformConfig } from '@ps/config';
import { Clock, InvalidRequest } from '@ps/kernel';
import { MailDelivery, MailNotDelivered, secretLink } from '@ps/notifications';
import { Actor } from './actor';
import { hashPassword, verifyPassword } from './passwords';
import { newSecret, sha256 } from './secrets';
import { SignInThrottleRepository } from './sign-in-throttle.repository';
import { SignInThrottle } from './sign-in-throttle.service';
import { SignOutEverywhere } from './sign-out-everywhere';
import { SignedInUser, signedInUser } from './signed-in-user';
import { UsersRepository } from './users.repository';

/** Failed logins per e-mail address before a temporary lockout, and how long the window and lockout last. */
export const LOGIN_POLICY = { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 };
const RESET_LINK_MINUTES = 60;
export const PASSWORD_RULES = { min: 12, max: 128 };

/** A sign-in's result: the user, or why not (the same message either way; the reason is for the security log). */
export type SignInOutcome = { user: SignedInUser } | { user: null; locked: boolean; passwordOff?: boolean };

export function actorFor(user: SignedInUser, via: Actor['via']): Actor {
  return { userId: user.id, label: `${user.displayName} <${user.email}>`, role: user.role, localGovernmentId: user.localGovernmentId, via };
}

/** A hash to verify against when the e-mail is unknown, so both cases take the same time. */
let decoyHash: Promise<string> | undefined;

@Injectable()
export class AuthenticationService {
  private readonly logger = new Logger('Authentication');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly throttle: SignInThrottleRepository,
    private readonly signOut: SignOutEverywhere,
    private readonly audit: AuditService,
    private readonly mail: MailDelivery,
    private readonly config: PlatformConfig,
    private readonly clock: Clock,
    private readonly sourceThrottle: SignInThrottle,
  ) {}

  /**
   * The active user with these credentials, or whether the address is locked; the user sees the same message either way.
   * Refused first (SignInThrottled) while the client's address or the platform as a whole must wait, even with the
   * right password. The attempt is counted before the password is checked, so parallel attempts cannot exceed the limit.
   */
  async verifyCredentials(email: string, password: string, ip: string | undefined): Promise<SignInOutcome> {
    const fromSource = await this.sourceThrottle.admit(ip);
    const key = email.trim().toLowerCase();
    const now = this.clock.now();
    const attempt = await this.countAttempt(key, now);
    const user = await this.users.activeWithPassword(this.dataSource.manager, key);
    const hash: string = user?.password_hash ?? (await (decoyHash ??= hashPassword('decoy-password-for-timing')));
    const matches = await verifyPassword(hash, password);
    // With PASSWORD_SIGN_IN=platform-administrators everyone else signs in through the identity provider (told only after the right password).
    if (
      attempt.allowed &&
      matches &&
      user?.password_hash &&
      this.config.PASSWORD_SIGN_IN === 'platform-administrators' &&
      user.role !== 'platform-administrator'
    ) {
      return { user: null, locked: false, passwordOff: true };
    }
    if (attempt.allowed && matches && user?.password_hash) {
      await this.throttle.clear(this.dataSource.manager, key);
      await this.sourceThrottle.forgive(fromSource);
      return { user: signedInUser(user) };
    }
    if (attempt.allowed && attempt.number >= LOGIN_POLICY.maxFailures) {
      const until = new Date(now.getTime() + LOGIN_POLICY.lockMinutes * 60_000);
      await this.throttle.lock(this.dataSource.manager, key, until, now);
      // Never the address: logs hold no personal data (docs/deployment.md, "Logs").
      this.logger.warn(`login ${user ? `of user ${user.id}` : 'for an unknown address'} locked until ${until.toISOString()} after ${attempt.number} failures`);
    }
    return { user: null, locked: !attempt.allowed };
  }

  /** Counts one attempt atomically; refused while locked or past the limit of the current window. */
  private async countAttempt(key: string, now: Date): Promise<{ allowed: boolean; number: number }> {
    const windowStart = new Date(now.getTime() - LOGIN_POLICY.windowMinutes * 60_000);
    const row = await this.throttle.count(this.dataSource.manager, key, now, windowStart);
    const locked = row.locked_until !== null && new Date(row.locked_until) > now;
    return { allowed: !locked && row.failures <= LOGIN_POLICY.maxFailures, number: row.failures };
  }

  /** The user behind a session, if still active (a deactivated user is signed out everywhere). */
  async activeUser(id: number): Promise<SignedInUser | null> {
    const user = await this.users.activeById(this.dataSource.manager, id);
    return user ? signedInUser(user) : null;
  }

  /**
   * Mails a one-time link when the address belongs to an active user; says nothing either way, also when the mail
   * server refuses (then nothing is kept: the link reached nobody).
   */
  async requestPasswordReset(email: string): Promise<void> {
    try {
      await inTransaction(this.dataSource, async (manager) => {
        const user = await this.users.activeByEmail(manager, email.trim());
        if (!user) return;
        const { secret, hash } = newSecret('ps_reset');
        const expires = new Date(this.clock.now().getTime() + RESET_LINK_MINUTES * 60_000);
        await this.users.insertPasswordReset(manager, user.id, hash, expires);
        await this.audit.record(manager, actorFor(signedInUser(user), 'session'), {
          entityType: 'user',
          entityId: user.id,
          action: 'password-reset-requested',
          ownerLocalGovernmentIds: user.local_government_id ? [user.local_government_id] : [],
        });
        await this.mail.deliver(manager, {
          to: [user.email],
          subject: 'Nieuw wachtwoord voor Plan Samenleven',
          text: [
            `Beste ${user.display_name},\n\nKies een nieuw wachtwoord binnen ${RESET_LINK_MINUTES} minuten via `,
            secretLink(`${this.config.publicUrl}/wachtwoord-herstellen?token=${secret}`),
            '\nDe link werkt één keer. Vroeg u dit niet aan, dan hoeft u niets te doen.\n\nAgentschap Binnenlands Bestuur',
          ],
        });
      });
    } catch (error) {
      // An error page here would tell that the address has an account.
      if (!(error instanceof MailNotDelivered)) throw error;
      this.logger.error(`Password reset link not delivered: ${error.reason}`);
    }
  }

  /** Sets the password with a valid, unused, unexpired link; signs the user out everywhere. */
  async resetPassword(token: string, password: string): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const reset = await this.users.usableResetForUpdate(manager, sha256(token), this.clock.now());
      if (!reset) throw new InvalidRequest('Deze link is ongeldig, al gebruikt of verlopen. Vraag een nieuwe aan.');
      await this.users.markResetUsed(manager, reset.id, this.clock.now());
      await this.users.setPasswordHash(manager, reset.user_id, await hashPassword(password));
      const user = signedInUser({ ...reset, id: reset.user_id });
      await this.signOut.run(manager, actorFor(user, 'session'), user, 'password-set', this.clock.now());
      await this.audit.record(manager, actorFor(user, 'session'), {
        entityType: 'user',
        entityId: user.id,
        action: 'password-set',
        ownerLocalGovernmentIds: user.localGovernmentId ? [user.localGovernmentId] : [],
      });
    });
  }
}
