import { HttpException, HttpStatus } from '@nestjs/common';
import { DatabaseUnreachable, isDatabaseUnreachable } from '@ps/database';
import { Refusal, RefusalCode } from '@ps/kernel';

/** The one place a refusal becomes an HTTP status. */
export const REFUSAL_STATUS: Record<RefusalCode, number> = {
  not_found: HttpStatus.NOT_FOUND,
  not_permitted: HttpStatus.FORBIDDEN,
  conflict: HttpStatus.CONFLICT,
  stale_version: HttpStatus.CONFLICT,
  invalid_input: HttpStatus.UNPROCESSABLE_ENTITY,
  invalid_request: HttpStatus.BAD_REQUEST,
  busy: HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

export const refusalStatus = (refusal: Refusal): number => REFUSAL_STATUS[refusal.code];

/** The JSON body of a refusal: the status, a stable code, the Dutch message, per-field messages and any details. */
export function refusalBody(refusal: Refusal): Record<string, unknown> {
  const fields = Object.keys(refusal.fields).length > 0 ? { errors: refusal.fields } : {};
  return { ...refusal.details, statusCode: refusalStatus(refusal), code: refusal.code, message: refusal.message, ...fields };
}

/** Seconds a client should wait before trying again, when the refusal says so. */
export function retryAfter(refusal: Refusal): number | undefined {
  return (refusal as { retryAfterSeconds?: number }).retryAfterSeconds;
}

/** A lost or refused connection to the database server is no bug of the request: 503 with Retry-After, as a refusal. */
export const asRefusal = (exception: unknown): unknown =>
  exception instanceof Refusal || !isDatabaseUnreachable(exception) ? exception : new DatabaseUnreachable();

/** The status of anything thrown: a refusal's mapped status, an HTTP exception's own, 503 for an unreachable database, otherwise 500. */
export function statusOf(thrown: unknown): number {
  const exception = asRefusal(thrown);
  if (exception instanceof Refusal) return refusalStatus(exception);
  return exception instanceof HttpException ? exception.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
}
