import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '@ps/audit';
import { Actor } from './actor';
import { TokenCache } from './token-cache';
import { ApiTokensRepository } from './api-tokens.repository';
import { SessionsRepository } from './sessions.repository';

/**
 * Ends every way a user is signed in: deletes their sessions and revokes their API tokens, in the caller's
 * transaction. A revoked token stays revoked, so reactivating the user brings none back.
 */
@Injectable()
export class SignOutEverywhere {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly tokens: ApiTokensRepository,
    private readonly audit: AuditService,
    private readonly tokenCache: TokenCache,
  ) {}

  async run(
    manager: EntityManager,
    actor: Actor,
    user: { id: number; localGovernmentId: number | null },
    reason: 'password-set' | 'deactivated',
    now: Date,
  ): Promise<void> {
    await this.sessions.deleteAllOf(manager, user.id);
    this.tokenCache.forgetAll(manager);
    const revoked = await this.tokens.revokeAllOf(manager, user.id, now);
    for (const token of revoked) {
      await this.audit.record(manager, actor, {
        entityType: 'api-token',
        entityId: token.id,
        action: 'revoked',
        before: { name: token.name, prefix: token.prefix },
        after: { because: reason },
        ownerLocalGovernmentIds: user.localGovernmentId ? [user.localGovernmentId] : [],
      });
    }
  }
}
