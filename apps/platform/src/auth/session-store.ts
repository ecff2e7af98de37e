import { Store, SessionData } from 'express-session';
import { DataSource } from 'typeorm';
import { SessionsRepository } from '@ps/identity';

type Callback = (error?: unknown, session?: SessionData | null) => void;

const DEFAULT_LIFETIME_MS = 8 * 3_600_000;

/** Sessions in PostgreSQL, so any number of replicas share them; the SQL is identity's SessionsRepository. */
export class PostgresSessionStore extends Store {
  private readonly sessions: SessionsRepository;

  constructor(source: DataSource | SessionsRepository) {
    super();
    this.sessions = source instanceof SessionsRepository ? source : new SessionsRepository(source);
  }

  get(sid: string, callback: Callback): void {
    this.sessions.data<SessionData>(sid).then((data) => callback(null, data), callback);
  }

  set(sid: string, session: SessionData, callback?: (error?: unknown) => void): void {
    const userId = (session as { passport?: { user?: number } }).passport?.user ?? null;
    this.sessions
      .save(sid, JSON.stringify(session), userId, expiry(session))
      .then(() => (Math.random() < 0.01 ? this.sessions.deleteExpired() : undefined))
      .then(
        () => callback?.(),
        (error) => callback?.(error),
      );
  }

  destroy(sid: string, callback?: (error?: unknown) => void): void {
    this.sessions.delete(sid).then(
      () => callback?.(),
      (error) => callback?.(error),
    );
  }

  touch(sid: string, session: SessionData, callback?: (error?: unknown) => void): void {
    this.sessions.extend(sid, expiry(session)).then(
      () => callback?.(),
      (error) => callback?.(error),
    );
  }
}

function expiry(session: SessionData): Date {
  const expires = session.cookie?.expires;
  return expires ? new Date(expires) : new Date(Date.now() + DEFAULT_LIFETIME_MS);
}
