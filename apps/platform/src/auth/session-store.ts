import { Store, SessionData } from 'express-session';
import { DataSource } from 'typeorm';
import { SessionsRepository, SignedInUser } from '@ps/identity';

type Callback = (error?: unknown, session?: SessionData | null) => void;

const DEFAULT_LIFETIME_MS = 8 * 3_600_000;

/**
 * A rolling session is extended in the database only when that moves its expiry by at least this much: a person
 * clicking through pages would otherwise cost an UPDATE per request. The expiry is then at most a minute early.
 */
export const EXTEND_AFTER_MS = 60_000;
/** How many sessions' stored expiries the store remembers between reading a session and extending it. */
const REMEMBERED = 10_000;

/** Sessions in PostgreSQL, so any number of replicas share them; the SQL is identity's SessionsRepository. */
export class PostgresSessionStore extends Store {
  private readonly sessions: SessionsRepository;
  /** Per session read by a request still running: its expiry as stored, so the request's touch can tell whether to write. */
  private readonly storedExpiry = new Map<string, number>();
  /** Per session read by a request still running: its user, still active, read with it (for passport's deserializeUser). */
  private readonly activeUsers = new Map<string, SignedInUser>();

  constructor(source: DataSource | SessionsRepository) {
    super();
    this.sessions = source instanceof SessionsRepository ? source : new SessionsRepository(source);
  }

  get(sid: string, callback: Callback): void {
    this.sessions.data<SessionData>(sid).then((found) => {
      // Never an older read's user for this session: a user deactivated since is not active in this read.
      this.activeUsers.delete(sid);
      if (found) {
        if (this.storedExpiry.size >= REMEMBERED) this.storedExpiry.clear();
        this.storedExpiry.set(sid, found.expiresAt.getTime());
        if (this.activeUsers.size >= REMEMBERED) this.activeUsers.clear();
        if (found.activeUser) this.activeUsers.set(sid, found.activeUser);
      }
      callback(null, found?.data ?? null);
    }, callback);
  }

  /**
   * The active user read with this session by the request now deserializing it, once; undefined when there is none
   * (then the user is read on its own, as for a session whose user is no longer active).
   */
  takeActiveUser(sid: string): SignedInUser | undefined {
    const user = this.activeUsers.get(sid);
    this.activeUsers.delete(sid);
    return user;
  }

  set(sid: string, session: SessionData, callback?: (error?: unknown) => void): void {
    this.storedExpiry.delete(sid);
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
    this.storedExpiry.delete(sid);
    this.activeUsers.delete(sid);
    this.sessions.delete(sid).then(
      () => callback?.(),
      (error) => callback?.(error),
    );
  }

  touch(sid: string, session: SessionData, callback?: (error?: unknown) => void): void {
    const stored = this.storedExpiry.get(sid);
    this.storedExpiry.delete(sid);
    const expiresAt = expiry(session);
    if (stored !== undefined && expiresAt.getTime() - stored < EXTEND_AFTER_MS) return void callback?.();
    this.sessions.extend(sid, expiresAt).then(
      () => callback?.(),
      (error) => callback?.(error),
    );
  }
}

function expiry(session: SessionData): Date {
  const expires = session.cookie?.expires;
  return expires ? new Date(expires) : new Date(Date.now() + DEFAULT_LIFETIME_MS);
}
