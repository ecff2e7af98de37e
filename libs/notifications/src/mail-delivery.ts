import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PlatformConfig } from '@ps/config';
import { afterCommit } from '@ps/database';
import { Clock, Unavailable } from '@ps/kernel';
import { deliveredText, hasSecretLink, OutgoingMail, outboxText, recipientOf } from './mail';
import { MailOutboxRepository } from './mail-outbox.repository';
import { NoticeWorker } from './notice-worker';

/** The SMTP server refused or could not be reached: nothing of this mail counts as sent (the worker tries again). */
export class MailNotDelivered extends Unavailable {
  /** What the SMTP side said, for the log (never shown to the user: it may name internal hosts). */
  readonly reason: string;
  /** The SMTP reply code when the server answered (4xx: try later; 5xx: refused for good). */
  readonly responseCode: number | undefined;

  constructor(subject: string, cause: Error & { responseCode?: number }) {
    super('De mail kon niet worden verstuurd. Probeer het over enkele minuten opnieuw.', 60);
    this.reason = `SMTP delivery of "${subject}" failed: ${cause.message}`;
    this.responseCode = cause.responseCode;
  }
}

/**
 * The one way the platform sends mail and notices: the transactional outbox. `deliver` writes one mail_outbox row per
 * recipient in the caller's transaction (a rolled-back change sent nothing), with every secret link masked, so
 * administrators see at /beheer/uitgaande-mail what went out but can never use someone else's link, and users see
 * their notices in "Berichten". With SMTP_URL the row also keeps the text as delivered until NoticeWorker sent it,
 * after the commit and outside the request (a mail server's answer time tells nothing about the request).
 * An `eventKey` makes it one notice per event and recipient, however often the event is told.
 *
 * Without SMTP_URL a secret link reaches nobody, except in development (NODE_ENV=development), where the log shows it
 * so a developer can use the welcome and reset mails of the demo.
 */
@Injectable()
export class MailDelivery {
  private readonly logger = new Logger('MailDelivery');

  constructor(
    private readonly config: PlatformConfig,
    private readonly outbox: MailOutboxRepository,
    private readonly worker: NoticeWorker,
    private readonly clock: Clock,
  ) {}

  /** Whether mails leave the platform (SMTP), or only reach the outbox. */
  get viaSmtp(): boolean {
    return this.worker.viaSmtp;
  }

  /** Puts the mail in the outbox; returns how many recipients got a new row (0 when the event was told before). */
  async deliver(manager: EntityManager, mail: OutgoingMail): Promise<number> {
    if (mail.to.length === 0) return 0;
    const masked = outboxText(mail.text);
    const smtp = this.viaSmtp;
    const now = this.clock.now();
    let added = 0;
    for (const to of mail.to.map(recipientOf)) {
      const inserted = await this.outbox.insert(manager, {
        eventKey: mail.eventKey ?? null,
        userId: to.userId,
        recipient: to.email,
        subject: mail.subject,
        body: masked,
        link: mail.link ?? null,
        state: smtp ? 'waiting' : 'outbox',
        deliveryText: smtp ? deliveredText(mail.text) : null,
        now,
      });
      if (inserted) added++;
    }
    if (added === 0) return 0;
    if (smtp) afterCommit(manager, () => this.worker.kick());
    else this.withoutSmtp(mail, added);
    return added;
  }

  private withoutSmtp(mail: OutgoingMail, recipients: number): void {
    if (!hasSecretLink(mail.text)) return;
    if (this.config.NODE_ENV === 'development') {
      const to = mail.to.map((r) => recipientOf(r).email).join(', ');
      this.logger.warn(`DEVELOPMENT ONLY (no SMTP_URL), "${mail.subject}" for ${to}:\n${deliveredText(mail.text)}`);
    } else if (this.config.NODE_ENV === 'production') {
      // No address in a production log (docs/deployment.md, "Logs"): the number of recipients says enough.
      this.logger.warn(`No SMTP_URL: the one-time link of "${mail.subject}" for ${recipients} recipient(s) reached nobody.`);
    }
  }
}
