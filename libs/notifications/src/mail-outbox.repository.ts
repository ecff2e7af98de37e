import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** All SQL on mail_outbox. */
@Injectable()
export class MailOutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, recipient: string, subject: string, body: string): Promise<void> {
    await manager.query(`INSERT INTO mail_outbox (recipient, subject, body) VALUES ($1, $2, $3)`, [recipient, subject, body]);
  }

  /** The newest mails first. */
  latest(limit: number): Promise<{ id: number; recipient: string; subject: string; body: string; created_at: Date }[]> {
    return this.dataSource.query(`SELECT id, recipient, subject, body, created_at FROM mail_outbox ORDER BY id DESC LIMIT $1`, [limit]);
  }
}
