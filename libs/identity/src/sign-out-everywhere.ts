import { EntityManager } from 'typeorm';
import { AuditService } from '@ps/audit';
import { Actor } from './actor';

/**
 * Ends every way a user is signed in: deletes their sessions and revokes their API tokens, in the caller's
 * transaction. A revoked token stays revoked, so reactivating the user brings none back.
 */
export async function signOutEverywhere(manager: EntityManager, audit: AuditService, actor: Actor, user: { id: number; localGovernmentId: number | null }, reason: 'password-set' | 'deactivated', now: Date): Promise<void> {
  await manager.query(`DELETE FROM http_session WHERE user_id = $1`, [user.id]);
  // TypeORM answers an UPDATE with [rows, affected].
  const [revoked]: [{ id: number; name: string; prefix: string }[]] = await manager.query(
    `UPDATE api_token SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 RETURNING id, name, prefix`,
    [user.id, now],
  );
  for (const token of revoked) {
    await audit.record(manager, actor, {
      entityType: 'api-token', entityId: token.id, action: 'revoked', before: { name: token.name, prefix: token.prefix }, after: { because: reason },
      ownerLocalGovernmentIds: user.localGovernmentId ? [user.localGovernmentId] : [],
    });
  }
}
