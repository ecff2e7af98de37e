import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** All SQL on http_session: the platform's session store reads and writes it, signing out everywhere empties it. */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The stored session data, or null when unknown or expired. */
  /** The session's data and when it expires as stored, or null when there is none or it has expired. */
  async data<T>(sid: string): Promise<{ data: T; expiresAt: Date } | null> {
    const rows: { data: T; expires_at: Date }[] = await this.dataSource.query(
      `SELECT data, expires_at FROM http_session WHERE sid = $1 AND expires_at > now()`,
      [sid],
    );
    return rows[0] ? { data: rows[0].data, expiresAt: rows[0].expires_at } : null;
  }

  async save(sid: string, data: string, userId: number | null, expiresAt: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO http_session (sid, data, user_id, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sid) DO UPDATE SET data = EXCLUDED.data, user_id = EXCLUDED.user_id, expires_at = EXCLUDED.expires_at`,
      [sid, data, userId, expiresAt],
    );
  }

  async deleteExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM http_session WHERE expires_at < now()`);
  }

  async delete(sid: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM http_session WHERE sid = $1`, [sid]);
  }

  async extend(sid: string, expiresAt: Date): Promise<void> {
    await this.dataSource.query(`UPDATE http_session SET expires_at = $2 WHERE sid = $1`, [sid, expiresAt]);
  }

  /** Every session of the user, in the caller's transaction. */
  async deleteAllOf(manager: EntityManager, userId: number): Promise<void> {
    await manager.query(`DELETE FROM http_session WHERE user_id = $1`, [userId]);
  }
}
