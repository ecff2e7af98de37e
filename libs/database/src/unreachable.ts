import { Unavailable } from '@ps/kernel';
import { QueryFailedError } from 'typeorm';

/** Seconds a client is asked to wait (Retry-After) while the database server cannot be reached. */
export const UNREACHABLE_RETRY_AFTER_SECONDS = 5;

/** The database server is down, restarting or refusing connections: the request may be sent again shortly (503). */
export class DatabaseUnreachable extends Unavailable {
  constructor() {
    super('De databank is even niet bereikbaar. Probeer het over enkele seconden opnieuw.', UNREACHABLE_RETRY_AFTER_SECONDS);
  }
}

// The server is shutting down or starting up (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now),
// too many connections (53300), or any connection exception (class 08).
const SERVER_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
// The socket to the server could not be opened or broke.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
// What node-postgres says, without a code, when the connection went away under a query or a pooled client.
const DRIVER_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|timeout exceeded when trying to connect|Connection terminated due to connection timeout)/;
// An administrator closed the database to new connections (ALTER DATABASE … ALLOW_CONNECTIONS false).
const NOT_ACCEPTING = /is not currently accepting connections/;

/**
 * Whether an error means the PostgreSQL server could not be reached or dropped the connection (restart,
 * failover, network), rather than a refused or failed statement. Such a request wrote nothing that stays:
 * its transaction, if any, was not committed, or committed before the answer was lost, like a lost reply.
 */
export function isDatabaseUnreachable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false;
  const driver = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  const { code, message, errors, cause } = (driver ?? {}) as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  if (typeof code === 'string' && (code.startsWith('08') || SERVER_STATES.has(code) || SOCKET_CODES.has(code))) return true;
  if (typeof message === 'string' && (DRIVER_MESSAGES.test(message) || (code === '55000' && NOT_ACCEPTING.test(message)))) return true;
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnreachable(e, depth + 1))) return true; // AggregateError (several addresses)
  return cause !== undefined && isDatabaseUnreachable(cause, depth + 1);
}
