import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SignedInUser, signedInUser } from './signed-in-user';
import { SignInRow } from './users.repository';

type Nullable<T> = { [K in keyof T]: T[K] | null };

/** All SQL on http_session: the platform's session store reads and writes it, signing out everywhere empties it. */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The session's data and when it expires as stored, or null when there is none or it has expired; with its user
   * when that user is still active, read in the same statement (every signed-in request needs both).
   */
  async data<T>(sid: string): Promise<{ data: T; expiresAt: Date; activeUser: SignedInUser | null } | null> {
    const [row]: ({ data: T; expires_at: Date } & Nullable<SignInRow>)[] = await this.dataSource.query(
      `SELECT s.data, s.expires_at, u.id, u.email, u.display_name, u.role, u.local_government_id
         FROM http_session s LEFT JOIN app_user u ON u.id = s.user_id AND u.active
        WHERE s.sid = $1 AND s.expires_at > now()`,
      [sid],
    );
    if (!row) return null;
    return { data: row.data, expiresAt: row.expires_at, activeUser: row.id === null ? null : signedInUser(row as SignInRow) };
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
