import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '@ps/identity';

export interface AuditChange {
  entityType: string;
  entityId: string | number;
  action: string;
  before?: object | null;
  after?: object | null;
  /** The local governments whose officers may read this entry. */
  ownerLocalGovernmentIds?: number[];
}

export interface AuditEntry {
  id: number;
  occurredAt: Date;
  actorLabel: string;
  entityType: string;
  entityId: string;
  action: string;
  before: object | null;
  after: object | null;
}

/** The append-only trail of state changes; always written with the manager of the change's own transaction. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(manager: EntityManager, actor: Actor, change: AuditChange): Promise<void> {
    await manager.query(
      `INSERT INTO audit_event (actor_user_id, actor_label, entity_type, entity_id, action, before, after, owner_local_government_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [actor.userId, actor.label, change.entityType, String(change.entityId), change.action, json(change.before), json(change.after), change.ownerLocalGovernmentIds ?? []],
    );
  }

  /** The history of one record; restricted to entries owned by a local government when one is given. */
  async history(entityType: string, entityId: string, onlyForLocalGovernmentId?: number): Promise<AuditEntry[]> {
    const rows = await this.dataSource.query(
      `SELECT id, occurred_at, actor_label, entity_type, entity_id, action, before, after FROM audit_event
        WHERE entity_type = $1 AND entity_id = $2 AND ($3::integer IS NULL OR $3::integer = ANY(owner_local_government_ids))
        ORDER BY id`,
      [entityType, entityId, onlyForLocalGovernmentId ?? null],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: Number(r.id),
      occurredAt: r.occurred_at as Date,
      actorLabel: r.actor_label as string,
      entityType: r.entity_type as string,
      entityId: r.entity_id as string,
      action: r.action as string,
      before: r.before as object | null,
      after: r.after as object | null,
    }));
  }
}

function json(value: object | null | undefined): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
