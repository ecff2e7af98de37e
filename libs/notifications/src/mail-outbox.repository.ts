import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export type OutboxState = 'waiting' | 'sent' | 'failed' | 'outbox';

export interface NewOutboxRow {
  eventKey: string | null;
  userId: number | null;
  recipient: string;
  subject: string;
  /** The text with every secret link masked: what the outbox page and "Berichten" show. */
  body: string;
  link: string | null;
  state: OutboxState;
  /** The text as the recipient gets it, while it waits for SMTP; null otherwise. */
  deliveryText: string | null;
  now: Date;
}

export interface ClaimedMail {
  id: number;
  recipient: string;
  subject: string;
  delivery_text: string;
  attempts: number;
  event_key: string | null;
}

export interface OutboxRow {
  id: number;
  recipient: string;
  subject: string;
  body: string;
  created_at: Date;
  state: OutboxState;
  attempts: number;
  last_error: string | null;
  sent_at: Date | null;
  next_attempt_at: Date | null;
}

export interface MessageRow {
  id: number;
  subject: string;
  body: string;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
}

/** All SQL on mail_outbox: the outbox of every mail and notice, its delivery queue and the users' "Berichten". */
@Injectable()
export class MailOutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One row per recipient; false when this event already has a row for this recipient (told twice: sent once). */
  async insert(manager: EntityManager, row: NewOutboxRow): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO mail_outbox (event_key, user_id, recipient, subject, body, link, state, delivery_text, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (event_key, lower(recipient)) WHERE event_key IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        row.eventKey,
        row.userId,
        row.recipient,
        row.subject,
        row.body,
        row.link,
        row.state,
        row.deliveryText,
        row.state === 'waiting' ? row.now : null,
        row.now,
      ],
    );
    return inserted.length > 0;
  }

  /** The newest mails first, with their record of delivery (never the text as delivered). */
  latest(limit: number): Promise<OutboxRow[]> {
    return this.dataSource.query(
      `SELECT id, recipient, subject, body, created_at, state, attempts, last_error, sent_at, next_attempt_at FROM mail_outbox ORDER BY id DESC LIMIT $1`,
      [limit],
    );
  }

  /**
   * Takes up to `limit` waiting mails whose time has come and that no live lease holds, for `leaseSeconds`, in one
   * statement: two workers (two processes) never take the same row (SKIP LOCKED), and a worker that died mid-way
   * leaves rows that another takes once the lease ran out. Counts the attempt.
   */
  async claim(now: Date, leaseSeconds: number, limit: number): Promise<ClaimedMail[]> {
    // TypeORM answers an UPDATE with [rows, affectedCount].
    const [rows]: [ClaimedMail[], number] = await this.dataSource.query(
      `UPDATE mail_outbox SET claimed_until = $1::timestamptz + make_interval(secs => $2), attempts = attempts + 1
        WHERE id IN (SELECT id FROM mail_outbox
                      WHERE state = 'waiting' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
                      ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING id, recipient, subject, delivery_text, attempts, event_key`,
      [now, leaseSeconds, limit],
    );
    return rows;
  }

  /** Delivered: the text with its link is dropped, only the masked body stays. */
  async markSent(id: number, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE mail_outbox SET state = 'sent', sent_at = $2, delivery_text = NULL, claimed_until = NULL, last_error = NULL WHERE id = $1`,
      [id, now],
    );
  }

  /** Not delivered: try again at `retryAt`, or, when null, never again (the text with its link is dropped). */
  async markFailed(id: number, error: string, retryAt: Date | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE mail_outbox
          SET state = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'waiting' END,
              delivery_text = CASE WHEN $3::timestamptz IS NULL THEN NULL ELSE delivery_text END,
              next_attempt_at = $3, claimed_until = NULL, last_error = $2
        WHERE id = $1`,
      [id, error.slice(0, 500), retryAt],
    );
  }

  /** Mails waiting for SMTP (for /metrics). */
  async waitingCount(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS count FROM mail_outbox WHERE state = 'waiting'`);
    return row.count;
  }

  /** A user's messages, newest first. */
  messagesOf(userId: number, limit: number): Promise<MessageRow[]> {
    return this.dataSource.query(`SELECT id, subject, body, link, created_at, read_at FROM mail_outbox WHERE user_id = $1 ORDER BY id DESC LIMIT $2`, [
      userId,
      limit,
    ]);
  }

  async unreadCount(userId: number): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS count FROM mail_outbox WHERE user_id = $1 AND read_at IS NULL`, [userId]);
    return row.count;
  }

  /** Marks one of the user's own messages read; false when it is not theirs (or does not exist). */
  async markRead(userId: number, id: number, now: Date): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.dataSource.query(
      `UPDATE mail_outbox SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2 RETURNING id`,
      [id, userId, now],
    );
    return rows.length > 0;
  }
}
