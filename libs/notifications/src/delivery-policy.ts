/** How often a mail is tried before it counts as failed. */
export const MAX_ATTEMPTS = 8;
/** How long a worker holds a mail it took: longer than nodemailer's timeouts together (see MailDelivery). */
export const LEASE_SECONDS = 120;

/**
 * After a failed attempt: when to try again, or null for never. A permanent refusal (an SMTP 5xx answer, such as an
 * unknown mailbox) is not retried; anything else (4xx, no connection, a timeout) is, after 1, 2, 4 … minutes, at most
 * an hour apart, until MAX_ATTEMPTS.
 */
export function nextAttemptAfterFailure(now: Date, attempts: number, responseCode: number | undefined): Date | null {
  if (responseCode !== undefined && responseCode >= 500) return null;
  if (attempts >= MAX_ATTEMPTS) return null;
  const minutes = Math.min(60, 2 ** Math.max(0, attempts - 1));
  return new Date(now.getTime() + minutes * 60_000);
}
