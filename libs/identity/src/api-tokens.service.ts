import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '@ps/database';
import { AuditService } from '@ps/audit';
import { Clock, NotFound } from '@ps/kernel';
import { Actor } from './actor';
import { ApiTokenRow, ApiTokensRepository } from './api-tokens.repository';
import { actorFor } from './authentication.service';
import { SignedInUser } from './signed-in-user';
import { Role } from './roles';
import { newSecret, sha256 } from './secrets';
import { TokenCache } from './token-cache';

export type TokenRefusal = 'token-unknown' | 'token-expired' | 'token-revoked' | 'token-user-inactive';

export interface ApiToken {
  id: number;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Personal access tokens for the API: shown once, stored as SHA-256, listed and revocable by their owner. */
@Injectable()
export class ApiTokensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: ApiTokensRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly cache: TokenCache,
  ) {}

  async list(userId: number): Promise<ApiToken[]> {
    const rows = await this.tokens.listOf(this.dataSource.manager, userId);
    return rows.map(toToken);
  }

  issue(actor: Actor, name: string, validDays: number): Promise<{ token: ApiToken; secret: string }> {
    return inTransaction(this.dataSource, async (manager) => {
      const { secret, hash } = newSecret('ps_pat');
      const expires = new Date(this.clock.now().getTime() + validDays * 86_400_000);
      const row = await this.tokens.insert(manager, { userId: actor.userId, name: name.trim(), hash, prefix: secret.slice(0, 14), expiresAt: expires });
      const token = toToken(row);
      await this.audit.record(manager, actor, {
        entityType: 'api-token',
        entityId: token.id,
        action: 'issued',
        after: { name: token.name, prefix: token.prefix, expiresAt: token.expiresAt },
        ownerLocalGovernmentIds: owners(actor),
      });
      return { token, secret };
    });
  }

  /** Revokes one of the actor's own tokens; another user's token is "not found". */
  revoke(actor: Actor, id: number): Promise<ApiToken> {
    return inTransaction(this.dataSource, async (manager) => {
      const row = await this.tokens.revokeOwn(manager, id, actor.userId, this.clock.now());
      if (!row) throw new NotFound();
      this.cache.forgetAll(manager);
      const token = toToken(row);
      await this.audit.record(manager, actor, {
        entityType: 'api-token',
        entityId: id,
        action: 'revoked',
        before: { name: token.name, prefix: token.prefix },
        ownerLocalGovernmentIds: owners(actor),
      });
      return token;
    });
  }

  /** Why a token was refused, for the security log, with its public prefix when the token exists. */
  async refusalOf(secret: string): Promise<{ reason: TokenRefusal; prefix: string | null }> {
    const row = await this.tokens.stateOf(this.dataSource.manager, sha256(secret));
    if (!row) return { reason: 'token-unknown', prefix: null };
    const reason: TokenRefusal = row.revoked_at
      ? 'token-revoked'
      : new Date(row.expires_at) <= this.clock.now()
        ? 'token-expired'
        : !row.active
          ? 'token-user-inactive'
          : 'token-unknown';
    return { reason, prefix: row.prefix };
  }

  /** The actor behind a bearer token, or null when unknown, expired, revoked or its user deactivated. */
  async authenticate(secret: string): Promise<Actor | null> {
    const now = this.clock.now();
    const hash = sha256(secret);
    let row = this.cache.get(hash, now);
    if (!row) {
      const mark = this.cache.mark();
      row = (await this.tokens.usable(this.dataSource.manager, hash, now)) ?? undefined;
      if (!row) return null;
      this.cache.remember(hash, row, mark);
    }
    if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
      row.last_used_at = now;
      await this.tokens.markUsed(this.dataSource.manager, row.id, now);
    }
    const user: SignedInUser = {
      id: row.user_id,
      email: row.email,
      displayName: row.display_name,
      role: row.role as Role,
      localGovernmentId: row.local_government_id,
    };
    return actorFor(user, 'token');
  }
}

function owners(actor: Actor): number[] {
  return actor.localGovernmentId ? [actor.localGovernmentId] : [];
}

function toToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at ?? null,
    revokedAt: row.revoked_at ?? null,
  };
}
