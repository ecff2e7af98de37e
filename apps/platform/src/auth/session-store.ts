import { Store, SessionData } from 'express-session';
import { DataSource } from 'typeorm';

type Callback = (error?: unknown, session?: SessionData | null) => void;

const DEFAULT_LIFETIME_MS = 8 * 3_600_000;

/** Sessions in PostgreSQL, so any number of replicas share them. */
export class PostgresSessionStore extends Store {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  get(sid: string, callback: Callback): void {
    this.dataSource
      .query(`SELECT data FROM http_session WHERE sid = $1 AND expires_at > now()`, [sid])
      .then((rows: { data: SessionData }[]) => callback(null, rows[0]?.data ?? null), callback);
  }

  set(sid: string, session: SessionData, callback?: (error?: unknown) => void): void {
    const userId = (session as { passport?: { user?: number } }).passport?.user ?? null;
    this.dataSource
      .query(
        `INSERT INTO http_session (sid, data, user_id, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (sid) DO UPDATE SET data = EXCLUDED.data, user_id = EXCLUDED.user_id, expires_at = EXCLUDED.expires_at`,
        [sid, JSON.stringify(session), userId, expiry(session)],
      )
      .then(() => (Math.random() < 0.01 ? this.dataSource.query(`DELETE FROM http_session WHERE expires_at < now()`) : undefined))
      .then(() => callback?.(), (error) => callback?.(error));
  }

  destroy(sid: string, callback?: (error?: unknown) => void): void {
    this.dataSource.query(`DELETE FROM http_session WHERE sid = $1`, [sid]).then(() => callback?.(), (error) => callback?.(error));
  }

  touch(sid: string, session: SessionData, callback?: (error?: unknown) => void): void {
    this.dataSource.query(`UPDATE http_session SET expires_at = $2 WHERE sid = $1`, [sid, expiry(session)]).then(() => callback?.(), (error) => callback?.(error));
  }
}

function expiry(session: SessionData): Date {
  const expires = session.cookie?.expires;
  return expires ? new Date(expires) : new Date(Date.now() + DEFAULT_LIFETIME_MS);
}
