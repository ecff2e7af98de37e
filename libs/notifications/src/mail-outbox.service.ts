import { Global, Injectable, Module } from '@nestjs/common';
import { MailDelivery } from './mail-delivery';
import { MailOutboxRepository } from './mail-outbox.repository';

export interface OutboxMail {
  id: number;
  to: string;
  subject: string;
  /** The text as sent, with every secret link masked (see MailDelivery). */
  body: string;
  createdAt: Date;
}

/** What administrators read of the mail the platform sent; mail is written only by MailDelivery. */
@Injectable()
export class MailOutbox {
  constructor(private readonly repository: MailOutboxRepository) {}

  async latest(limit = 100): Promise<OutboxMail[]> {
    const rows = await this.repository.latest(limit);
    return rows.map((r) => ({ id: r.id, to: r.recipient, subject: r.subject, body: r.body, createdAt: r.created_at }));
  }
}

@Global()
@Module({ providers: [MailOutboxRepository, MailOutbox, MailDelivery], exports: [MailOutbox, MailDelivery] })
export class NotificationsModule {}
