import { Global, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async send(manager: EntityManager, mail: Mail): Promise<void> {
    await manager.query(`INSERT INTO mail_outbox (recipient, subject, body) VALUES ($1, $2, $3)`, [mail.to, mail.subject, mail.body]);
  }

  async latest(limit = 100): Promise<OutboxMail[]> {
    const rows = await this.dataSource.query(`SELECT id, recipient, subject, body, created_at FROM mail_outbox ORDER BY id DESC LIMIT $1`, [limit]);
    return rows.map((r: Record<string, unknown>) => ({ id: r.id as number, to: r.recipient as string, subject: r.subject as string, body: r.body as string, createdAt: r.created_at as Date }));
  }
}

@Global()
@Module({ providers: [MailOutbox], exports: [MailOutbox] })
export class NotificationsModule {}
