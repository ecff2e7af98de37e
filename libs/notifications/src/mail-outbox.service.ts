import { Global, Injectable, Module } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MailOutboxRepository } from './mail-outbox.repository';

export interface Mail {
  to: string;
  subject: string;
  body: string;
}

export interface OutboxMail extends Mail {
  id: number;
  createdAt: Date;
}

/**
 * Outgoing mail is written to the outbox in the transaction that caused it, so a rolled-back
 * change sends nothing. Delivery by SMTP is a later step; administrators read the outbox.
 */
@Injectable()
export class MailOutbox {
  constructor(private readonly repository: MailOutboxRepository) {}

  async send(manager: EntityManager, mail: Mail): Promise<void> {
    await this.repository.insert(manager, mail.to, mail.subject, mail.body);
  }

  async latest(limit = 100): Promise<OutboxMail[]> {
    const rows = await this.repository.latest(limit);
    return rows.map((r) => ({ id: r.id, to: r.recipient, subject: r.subject, body: r.body, createdAt: r.created_at }));
  }
}

@Global()
@Module({ providers: [MailOutboxRepository, MailOutbox], exports: [MailOutbox] })
export class NotificationsModule {}
