import { Global, Injectable, Module } from '@nestjs/common';
import { Clock, NotFound } from '@ps/kernel';
import { deliveryStateText, failureReason } from './delivery-state';
import { MailDelivery } from './mail-delivery';
import { MailOutboxRepository, OutboxState } from './mail-outbox.repository';
import { NoticeWorker } from './notice-worker';

export interface OutboxMail {
  id: number;
  to: string;
  subject: string;
  /** The text as sent, with every secret link masked (see MailDelivery). */
  body: string;
  createdAt: Date;
  /** 'waiting' for SMTP, 'sent', 'failed' (given up) or 'outbox' (no SMTP configured). */
  state: OutboxState;
  /** The state in Dutch words: "wacht", "verstuurd op …", "mislukt: <reden> …", "enkel in de outbox". */
  stateText: string;
  /** SMTP attempts so far. */
  attempts: number;
  /** Why the last attempt failed, in Dutch with the server's words, anything secret masked; null when none failed. */
  failureReason: string | null;
  sentAt: Date | null;
}

/** One notice in a user's "Berichten". */
export interface Message {
  id: number;
  subject: string;
  body: string;
  /** The page of the platform it is about (a path), when there is one. */
  link: string | null;
  createdAt: Date;
  read: boolean;
}

/** What administrators read of the mail the platform sent; mail is written only by MailDelivery. */
@Injectable()
export class MailOutbox {
  constructor(private readonly repository: MailOutboxRepository) {}

  async latest(limit = 100): Promise<OutboxMail[]> {
    const rows = await this.repository.latest(limit);
    return rows.map((r) => {
      const record = { state: r.state, attempts: r.attempts, lastError: r.last_error, sentAt: r.sent_at, nextAttemptAt: r.next_attempt_at };
      return {
        id: r.id,
        to: r.recipient,
        subject: r.subject,
        body: r.body,
        createdAt: r.created_at,
        state: r.state,
        stateText: deliveryStateText(record),
        attempts: r.attempts,
        failureReason: failureReason(r.last_error),
        sentAt: r.sent_at,
      };
    });
  }

  /** Mails waiting for SMTP (for /metrics). */
  waitingCount(): Promise<number> {
    return this.repository.waitingCount();
  }
}

/** A user's own messages ("Berichten"): only ever the signed-in user's. */
@Injectable()
export class Messages {
  constructor(
    private readonly repository: MailOutboxRepository,
    private readonly clock: Clock,
  ) {}

  async of(userId: number, limit = 200): Promise<Message[]> {
    const rows = await this.repository.messagesOf(userId, limit);
    return rows.map((r) => ({ id: r.id, subject: r.subject, body: r.body, link: r.link, createdAt: r.created_at, read: r.read_at !== null }));
  }

  unreadCount(userId: number): Promise<number> {
    return this.repository.unreadCount(userId);
  }

  /** Marks the message read; 404 when it is not this user's (whose it is, is not told). */
  async markRead(userId: number, id: number): Promise<void> {
    if (!(await this.repository.markRead(userId, id, this.clock.now()))) throw new NotFound('Dit bericht bestaat niet.');
  }
}

@Global()
@Module({
  providers: [MailOutboxRepository, MailOutbox, Messages, MailDelivery, NoticeWorker],
  exports: [MailOutbox, Messages, MailDelivery, NoticeWorker],
})
export class NotificationsModule {}
