import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { withoutPersonalData } from '@ps/kernel';
import { AuditRepository } from './audit.repository';

/** Who acted, as the trail records it; identity's Actor is one. */
export interface AuditActor {
  userId: number | null;
  label: string;
}

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
  /** Null for readers who do not see personal data. */
  actorLabel: string | null;
  entityType: string;
  entityId: string;
  action: string;
  before: object | null;
  after: object | null;
}

/** The append-only trail of state changes; always written with the manager of the change's own transaction. */
@Injectable()
export class AuditService {
  constructor(private readonly repository: AuditRepository) {}

  async record(manager: EntityManager, actor: AuditActor, change: AuditChange): Promise<void> {
    await this.repository.insertAuditEvent(manager, {
      actorUserId: actor.userId,
      actorLabel: actor.label,
      entityType: change.entityType,
      entityId: String(change.entityId),
      action: change.action,
      before: change.before ?? null,
      after: change.after ?? null,
      ownerLocalGovernmentIds: change.ownerLocalGovernmentIds ?? [],
    });
  }

  /**
   * The history of one record; restricted to entries owned by a local government when one is given, and without personal
   * data (who acted, contact persons, accounts: see `withoutPersonalData`) unless `personal`. Who may read which record's
   * history is decided before (identity's `historyAccess`); without a reader, the whole trail (services and tests).
   */
  async history(
    entityType: string,
    entityId: string,
    reader: { onlyForLocalGovernmentId?: number; personal: boolean } = { personal: true },
  ): Promise<AuditEntry[]> {
    const entries = (await this.repository.auditHistory(entityType, entityId, { onlyForLocalGovernmentId: reader.onlyForLocalGovernmentId })).map(toEntry);
    return reader.personal ? entries : entries.map((entry) => withoutPersonalData(entry));
  }

  /** Inside a transaction: one record's entries of one action by one user (for example, who changed an IBAN). */
  async entriesBy(manager: EntityManager, entityType: string, entityId: string | number, action: string, actorUserId: number): Promise<AuditEntry[]> {
    return (await this.repository.auditHistory(entityType, String(entityId), { action, actorUserId }, manager)).map(toEntry);
  }
}

function toEntry(r: Record<string, unknown>): AuditEntry {
  return {
    id: Number(r.id),
    occurredAt: r.occurred_at as Date,
    actorLabel: r.actor_label as string,
    entityType: r.entity_type as string,
    entityId: r.entity_id as string,
    action: r.action as string,
    before: r.before as object | null,
    after: r.after as object | null,
  };
}
