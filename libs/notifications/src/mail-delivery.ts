import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { EntityManager } from 'typeorm';
import { PlatformConfig } from '@ps/config';
import { Unavailable } from '@ps/kernel';
import { deliveredText, hasSecretLink, OutgoingMail, outboxText } from './mail';
import { MailOutboxRepository } from './mail-outbox.repository';

/** The SMTP server refused or could not be reached: nothing of this mail counts as sent (503 for a request). */
export class MailNotDelivered extends Unavailable {
  /** What the SMTP side said, for the log (never shown to the user: it may name internal hosts). */
  readonly reason: string;

  constructor(subject: string, cause: Error) {
    super('De mail kon niet worden verstuurd. Probeer het over enkele minuten opnieuw.', 60);
    this.reason = `SMTP delivery of "${subject}" failed: ${cause.message}`;
  }
}

/**
 * Unless SMTP_URL says otherwise (e.g. `?connectionTimeout=30000`), a mail server that does not answer holds up the
 * caller's transaction for seconds, not nodemailer's default minutes.
 */
const TIMEOUTS_MS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * The one way the platform sends mail. Always to the outbox: one row per recipient, in the caller's transaction (a
 * rolled-back change sent nothing), with every secret link masked, so administrators see at /beheer/uitgaande-mail
 * what went out but can never use someone else's link. When SMTP_URL is configured, also over SMTP with the real text,
 * as one message to all recipients, while that transaction is still open: a refusal throws MailNotDelivered and the
 * caller's change (the outbox rows, the reset link, whatever recorded the mail as sent) rolls back.
 *
 * Without SMTP_URL a secret link reaches nobody, except in development (NODE_ENV=development), where the log shows it
 * so a developer can use the welcome and reset mails of the demo.
 */
@Injectable()
export class MailDelivery implements OnModuleDestroy {
  private readonly logger = new Logger('MailDelivery');
  private readonly transport: Transporter | null;

  constructor(
    private readonly config: PlatformConfig,
    private readonly outbox: MailOutboxRepository,
  ) {
    this.transport = config.SMTP_URL ? createTransport(withTimeouts(config.SMTP_URL), { from: config.MAIL_FROM }) : null;
  }

  /** Whether mails leave the platform (SMTP), or only reach the outbox. */
  get viaSmtp(): boolean {
    return this.transport !== null;
  }

  async deliver(manager: EntityManager, mail: OutgoingMail): Promise<void> {
    if (mail.to.length === 0) return;
    const masked = outboxText(mail.text);
    for (const to of mail.to) await this.outbox.insert(manager, to, mail.subject, masked);
    if (!this.transport) return this.withoutSmtp(mail);
    let info: { rejected?: unknown[] };
    try {
      info = await this.transport.sendMail({ to: mail.to, subject: mail.subject, text: deliveredText(mail.text) });
    } catch (error) {
      throw new MailNotDelivered(mail.subject, error as Error);
    }
    // The server took the message for at least one recipient (else sendMail throws): it went out, a refused address is logged.
    if (info.rejected && info.rejected.length > 0) this.logger.warn(`SMTP refused ${info.rejected.join(', ')} for "${mail.subject}"`);
  }

  private withoutSmtp(mail: OutgoingMail): void {
    if (!hasSecretLink(mail.text)) return;
    if (this.config.NODE_ENV === 'development') {
      this.logger.warn(`DEVELOPMENT ONLY (no SMTP_URL), "${mail.subject}" for ${mail.to.join(', ')}:\n${deliveredText(mail.text)}`);
    } else if (this.config.NODE_ENV === 'production') {
      // No address in a production log (docs/deployment.md, "Logs"): the number of recipients says enough.
      this.logger.warn(`No SMTP_URL: the one-time link of "${mail.subject}" for ${mail.to.length} recipient(s) reached nobody.`);
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}

function withTimeouts(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  for (const [key, ms] of Object.entries(TIMEOUTS_MS)) if (!url.searchParams.has(key)) url.searchParams.set(key, String(ms));
  return url.toString();
}
