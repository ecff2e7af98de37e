import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { afterCommit, DatabaseNotifications } from '@ps/database';
import { BoundedMap } from '@ps/kernel';
import { TokenUserRow } from './api-tokens.repository';

/**
 * The usable API tokens this process has seen, with their users, so a request needs no token lookup
 * (docs/rush.md). Revocation stays immediate:
 * - a change in this process forgets everything at once and again when its transaction commits (forgetAll);
 * - a change by another process (a replica, the CLI) reaches every process through the 'identity_changed'
 *   notification of the database's triggers; while that connection is down nothing is cached;
 * - a read that began before a forget is not cached (the generation moved on meanwhile);
 * - an entry past its expiry is never used.
 */
@Injectable()
export class TokenCache implements OnModuleInit {
  private readonly byHash = new BoundedMap<string, TokenUserRow>(10_000);
  private generation = 0;
  private live = false;

  constructor(private readonly notifications: DatabaseNotifications) {}

  onModuleInit(): void {
    this.notifications.listen('identity_changed', {
      notified: () => this.forget(),
      listening: (live) => {
        this.live = live;
        if (!live) this.forget();
      },
    });
  }

  /** The cached token when still unexpired at `now`. */
  get(hash: string, now: Date): TokenUserRow | undefined {
    const row = this.byHash.get(hash);
    return row && new Date(row.expires_at) > now ? row : undefined;
  }

  /** Where a lookup starts: pass it to `remember` with the row the lookup found. */
  mark(): number {
    return this.generation;
  }

  remember(hash: string, row: TokenUserRow, mark: number): void {
    if (this.live && mark === this.generation) this.byHash.set(hash, row);
  }

  /** For a transaction that revokes a token or changes a user: forgets now and once it commits. */
  forgetAll(manager: EntityManager): void {
    this.forget();
    afterCommit(manager, () => this.forget());
  }

  private forget(): void {
    this.generation++;
    this.byHash.clear();
  }
}
