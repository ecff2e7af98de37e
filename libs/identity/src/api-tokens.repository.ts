import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface ApiTokenRow {
  id: number;
  name: string;
  prefix: string;
  created_at: Date;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** A usable token with its user, for authentication. */
export interface TokenUserRow {
  id: number;
  expires_at: Date;
  last_used_at: Date | null;
  user_id: number;
  email: string;
  display_name: string;
  role: string;
  local_government_id: number | null;
}

/** All SQL on api_token (joined with its own lib's app_user where the user's state matters). */
@Injectable()
export class ApiTokensRepository {
  listOf(manager: EntityManager, userId: number): Promise<ApiTokenRow[]> {
    return manager.query(`SELECT * FROM api_token WHERE user_id = $1 ORDER BY id DESC`, [userId]);
  }

  async insert(manager: EntityManager, token: { userId: number | null; name: string; hash: string; prefix: string; expiresAt: Date }): Promise<ApiTokenRow> {
    const [row] = await manager.query(`INSERT INTO api_token (user_id, name, token_hash, prefix, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING *`, [
      token.userId,
      token.name,
      token.hash,
      token.prefix,
      token.expiresAt,
    ]);
    return row;
  }

  /** Revokes the user's own token when not yet revoked; null otherwise. */
  async revokeOwn(manager: EntityManager, id: number, userId: number | null, now: Date): Promise<ApiTokenRow | null> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [[row]] = await manager.query(`UPDATE api_token SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING *`, [
      id,
      userId,
      now,
    ]);
    return row ?? null;
  }

  /** What decides why a token is refused, whatever its state. */
  async stateOf(manager: EntityManager, tokenHash: string): Promise<{ prefix: string; revoked_at: Date | null; expires_at: Date; active: boolean } | null> {
    const [row] = await manager.query(
      `SELECT t.prefix, t.revoked_at, t.expires_at, u.active FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.token_hash = $1`,
      [tokenHash],
    );
    return row ?? null;
  }

  /** The token with this hash when unrevoked, unexpired and its user active. */
  async usable(manager: EntityManager, tokenHash: string, now: Date): Promise<TokenUserRow | null> {
    const [row] = await manager.query(
      `SELECT t.id, t.expires_at, t.last_used_at, u.id AS user_id, u.email, u.display_name, u.role, u.local_government_id
         FROM api_token t JOIN app_user u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND u.active`,
      [tokenHash, now],
    );
    return row ?? null;
  }

  async markUsed(manager: EntityManager, id: number, now: Date): Promise<void> {
    await manager.query(`UPDATE api_token SET last_used_at = $2 WHERE id = $1`, [id, now]);
  }

  /** Revokes every live token of the user; the ones it revoked. */
  async revokeAllOf(manager: EntityManager, userId: number, now: Date): Promise<{ id: number; name: string; prefix: string }[]> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [revoked] = await manager.query(
      `UPDATE api_token SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 RETURNING id, name, prefix`,
      [userId, now],
    );
    return revoked;
  }
}
