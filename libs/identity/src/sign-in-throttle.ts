/**
 * Sign-in throttling per source and overall, on top of the lockout per e-mail address (LOGIN_POLICY).
 * Pure: the counts come from the sign_in_source_throttle table, the decision and the next counts from here.
 */
import { Busy } from '@ps/kernel';

/** How many counted attempts a scope may have in its window before it must wait, and how long the waits grow. */
export interface ThrottlePolicy {
  /** Counted attempts allowed in the window without any wait. */
  freeAttempts: number;
  /** A window starts at the first counted attempt; once it is this old, the next attempt starts a new window. */
  windowMinutes: number;
  /** The wait after the last counted attempt once the free attempts are used up... */
  firstWaitSeconds: number;
  /** ...doubled for every further counted attempt, up to this. */
  maxWaitSeconds: number;
}

/**
 * One source address (IPv4, or the /64 of an IPv6 address). 20 free: a municipal office signs in from one address, and
 * its officers may mistype; 40 guesses at different addresses in a few seconds are not an office. Then 30 s, 1, 2, 4, 8
 * and at most 15 minutes between attempts: about 27 guesses an hour instead of thousands.
 */
export const SOURCE_POLICY: ThrottlePolicy = { freeAttempts: 20, windowMinutes: 60, firstWaitSeconds: 30, maxWaitSeconds: 15 * 60 };

/**
 * All sources together, against an attack spread over many addresses. The platform has about a thousand accounts;
 * 300 failed sign-ins in a quarter of an hour is far above any deadline rush. Past it every source waits 2, 4, 8 … at
 * most 60 s after the last counted attempt, so the whole platform lets through about one guess a minute.
 */
export const GLOBAL_POLICY: ThrottlePolicy = { freeAttempts: 300, windowMinutes: 15, firstWaitSeconds: 2, maxWaitSeconds: 60 };

/** The key of the row that counts all sources together. */
export const ALL_SOURCES = '*';

/** Counted attempts of one scope: failed sign-ins (and sign-ins still being checked) and password-reset requests. */
export interface ThrottleCount {
  attempts: number;
  windowStartedAt: Date;
  lastAttemptAt: Date;
}

export type ThrottleScope = 'source' | 'global';

export type ThrottleDecision = { allowed: true } | { allowed: false; scope: ThrottleScope; retryAfterSeconds: number };

/** Attempts that still count at this moment: none once the window has passed. */
export function attemptsInWindow(count: ThrottleCount | null, policy: ThrottlePolicy, now: Date): number {
  if (!count || count.windowStartedAt.getTime() <= now.getTime() - policy.windowMinutes * 60_000) return 0;
  return count.attempts;
}

/** Seconds to wait before the next attempt of this scope; 0 when it may proceed. */
export function secondsToWait(count: ThrottleCount | null, policy: ThrottlePolicy, now: Date): number {
  const attempts = attemptsInWindow(count, policy, now);
  if (!count || attempts < policy.freeAttempts) return 0;
  const wait = Math.min(policy.firstWaitSeconds * 2 ** (attempts - policy.freeAttempts), policy.maxWaitSeconds);
  const remainingMs = count.lastAttemptAt.getTime() + wait * 1000 - now.getTime();
  return remainingMs > 0 ? Math.ceil(remainingMs / 1000) : 0;
}

/** Whether an attempt from this source may proceed now; when both scopes say wait, the longer wait. */
export function decideAttempt(source: ThrottleCount | null, global: ThrottleCount | null, now: Date): ThrottleDecision {
  const sourceWait = secondsToWait(source, SOURCE_POLICY, now);
  const globalWait = secondsToWait(global, GLOBAL_POLICY, now);
  if (sourceWait === 0 && globalWait === 0) return { allowed: true };
  return sourceWait >= globalWait
    ? { allowed: false, scope: 'source', retryAfterSeconds: sourceWait }
    : { allowed: false, scope: 'global', retryAfterSeconds: globalWait };
}

/** The count after one more attempt: a new window when the current one has passed. */
export function countedAttempt(count: ThrottleCount | null, policy: ThrottlePolicy, now: Date): ThrottleCount {
  if (attemptsInWindow(count, policy, now) === 0 || !count) return { attempts: 1, windowStartedAt: now, lastAttemptAt: now };
  return { attempts: count.attempts + 1, windowStartedAt: count.windowStartedAt, lastAttemptAt: now };
}

/**
 * The key an address is counted under: an IPv4 address as it is (also when Node shows it as ::ffff:a.b.c.d), an IPv6
 * address by its /64, since one subscriber usually holds a whole /64 and could otherwise change address per attempt.
 */
export function sourceKey(ip: string | undefined | null): string {
  const address = (ip ?? '').trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped) return mapped[1];
  if (!address.includes(':')) return address || 'unknown';
  const [head, tail = ''] = address.split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = address.includes('::') ? [...left, ...Array(Math.max(8 - left.length - right.length, 0)).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => (group.replace(/^0+(?=.)/, '') || '0').slice(0, 4))
    .join(':')}::/64`;
}

/** A wait in Dutch, for the refusal: "30 seconden", "1 minuut", "15 minuten". */
export function waitInDutch(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 seconde' : `${seconds} seconden`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minuut' : `${minutes} minuten`;
}

/** The refusal's text, the same on the sign-in and the password-reset form. */
export function throttledMessage(scope: ThrottleScope, retryAfterSeconds: number): string {
  const wait = waitInDutch(retryAfterSeconds);
  return scope === 'source'
    ? `Er zijn te veel mislukte pogingen gedaan vanaf uw netwerk. Wacht ${wait} en probeer het dan opnieuw.`
    : `Er zijn op dit moment te veel mislukte aanmeldpogingen op het platform. Wacht ${wait} en probeer het dan opnieuw.`;
}

/** Refused because this source, or the platform as a whole, has had too many failed attempts; wait the given seconds. */
export class SignInThrottled extends Busy {
  constructor(
    readonly scope: ThrottleScope,
    retryAfterSeconds: number,
  ) {
    super(throttledMessage(scope, retryAfterSeconds), retryAfterSeconds);
  }
}
