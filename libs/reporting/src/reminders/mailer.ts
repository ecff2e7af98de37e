import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { EntityManager } from 'typeorm';
import { PlatformConfig } from '@ps/config';
import { MailOutbox } from '@ps/notifications';

/** One message to one or more recipients, in plain text. */
export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
}

/** The SMTP server refused or could not be reached: nothing of this mail counts as sent. */
export class MailNotDelivered extends Error {}

/**
 * Unless SMTP_URL says otherwise (e.g. `?connectionTimeout=30000`), a mail server that does not answer holds up the
 * job's transaction for seconds, not nodemailer's default minutes.
 */
const TIMEOUTS_MS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * Delivers the platform's mails: always to the outbox (one row per recipient, in the caller's transaction, so
 * administrators see at /beheer/uitgaande-mail what went out and a rolled-back change sent nothing), and when SMTP_URL
 * is configured also over SMTP, as one message to all recipients, while that transaction is still open: a refusal
 * throws MailNotDelivered, and the caller rolls the outbox rows (and whatever recorded the mail as sent) back.
 */
@Injectable()
export class MailDelivery implements OnModuleDestroy {
  private readonly logger = new Logger('MailDelivery');
  private readonly transport: Transporter | null;

  constructor(
    private readonly config: PlatformConfig,
    private readonly outbox: MailOutbox,
  ) {
    this.transport = config.SMTP_URL ? createTransport(withTimeouts(config.SMTP_URL), { from: config.MAIL_FROM }) : null;
  }

  /** Whether mails leave the platform (SMTP), or only reach the outbox. */
  get viaSmtp(): boolean {
    return this.transport !== null;
  }

  async deliver(manager: EntityManager, mail: OutgoingMail): Promise<void> {
    if (mail.to.length === 0) return;
    for (const to of mail.to) await this.outbox.send(manager, { to, subject: mail.subject, body: mail.text });
    if (!this.transport) return;
    let info: { rejected?: unknown[] };
    try {
      info = await this.transport.sendMail({ to: mail.to, subject: mail.subject, text: mail.text });
    } catch (error) {
      throw new MailNotDelivered(`SMTP delivery of "${mail.subject}" failed: ${(error as Error).message}`);
    }
    // The server took the message for at least one recipient (else sendMail throws): it went out, a refused address is logged.
    if (info.rejected && info.rejected.length > 0) this.logger.warn(`SMTP refused ${info.rejected.join(', ')} for "${mail.subject}"`);
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
