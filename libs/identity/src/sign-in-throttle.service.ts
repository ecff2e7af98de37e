import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '@ps/database';
import { Clock } from '@ps/kernel';
import { ALL_SOURCES, countedAttempt, decideAttempt, GLOBAL_POLICY, SignInThrottled, SOURCE_POLICY, sourceKey, ThrottleCount } from './sign-in-throttle';
import { SourceThrottleRepository, SourceThrottleRow } from './sign-in-throttle.repository';

/** An attempt that was let through and counted; a successful sign-in hands it back to be taken off the counts. */
export interface CountedAttempt {
  source: string;
  countedAt: Date;
  /** The last attempt of each row before this one, to put back when it is taken off. */
  previous: Record<string, Date>;
}

/**
 * Throttling per source address and overall, shared by every process through PostgreSQL. Every attempt is counted
 * before the password is checked (a burst cannot slip past the limit); a successful sign-in takes its own attempt off
 * again, so successes are never counted and never wipe the failures a source made against other addresses.
 */
@Injectable()
export class SignInThrottle {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rows: SourceThrottleRepository,
    private readonly clock: Clock,
  ) {}

  /** Counts an attempt from this client address, or refuses it (SignInThrottled) while the source or the platform must wait. */
  async admit(ip: string | undefined | null): Promise<CountedAttempt> {
    const source = sourceKey(ip);
    const now = this.clock.now();
    const outcome = await inTransaction(this.dataSource, async (manager) => {
      const locked = await this.rows.lock(manager, [ALL_SOURCES, source], now);
      const current = (key: string): ThrottleCount | null => toCount(locked.find((row) => row.source === key));
      const decision = decideAttempt(current(source), current(ALL_SOURCES), now);
      if (!decision.allowed) return decision;
      const global = countedAttempt(current(ALL_SOURCES), GLOBAL_POLICY, now);
      await this.rows.save(manager, [toRow(source, countedAttempt(current(source), SOURCE_POLICY, now)), toRow(ALL_SOURCES, global)]);
      if (global.attempts === 1) await this.rows.deleteStale(manager, new Date(now.getTime() - SOURCE_POLICY.windowMinutes * 60_000));
      const previous = Object.fromEntries(locked.map((row) => [row.source, new Date(row.last_attempt_at)]));
      return { allowed: true as const, attempt: { source, countedAt: now, previous } };
    });
    if (!outcome.allowed) throw new SignInThrottled(outcome.scope, outcome.retryAfterSeconds);
    return outcome.attempt;
  }

  /** Takes a successful sign-in's attempt off both counts (one row at a time: no lock order to get wrong). */
  async forgive(attempt: CountedAttempt): Promise<void> {
    for (const source of [attempt.source, ALL_SOURCES]) {
      await this.rows.uncount(this.dataSource.manager, source, attempt.countedAt, attempt.previous[source] ?? attempt.countedAt);
    }
  }
}

function toCount(row: SourceThrottleRow | undefined): ThrottleCount | null {
  return row ? { attempts: row.attempts, windowStartedAt: new Date(row.window_started_at), lastAttemptAt: new Date(row.last_attempt_at) } : null;
}

function toRow(source: string, count: ThrottleCount): SourceThrottleRow {
  return { source, attempts: count.attempts, window_started_at: count.windowStartedAt, last_attempt_at: count.lastAttemptAt };
}
