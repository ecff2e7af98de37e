import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** An audit_event row to write; the service decides what goes in it. */
export interface AuditEventRow {
  actorUserId: number | null;
  actorLabel: string;
  entityType: string;
  entityId: string;
  action: string;
  before: object | null;
  after: object | null;
  ownerLocalGovernmentIds: number[];
}

/** A security_event row to write, already cut to the columns' lengths. */
export interface SecurityEventRow {
  userId: number | null;
  role: string | null;
  localGovernmentId: number | null;
  ip: string | null;
  method: string;
  route: string;
  status: number;
  reason: string;
  detail: string | null;
}

/** All SQL on the audit lib's tables: audit_event and security_event (both append-only). */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Written with the manager of the change's own transaction, so a rolled-back change leaves no entry. */
  async insertAuditEvent(manager: EntityManager, row: AuditEventRow): Promise<void> {
    await manager.query(
      `INSERT INTO audit_event (actor_user_id, actor_label, entity_type, entity_id, action, before, after, owner_local_government_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [row.actorUserId, row.actorLabel, row.entityType, row.entityId, row.action, json(row.before), json(row.after), row.ownerLocalGovernmentIds],
    );
  }

  /** The entries of one record in order; only those owned by the local government, of the action or by the user when given. */
  auditHistory(
    entityType: string,
    entityId: string,
    filter: { onlyForLocalGovernmentId?: number | null; action?: string; actorUserId?: number },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Record<string, unknown>[]> {
    return manager.query(
      `SELECT id, occurred_at, actor_user_id, actor_label, entity_type, entity_id, action, before, after FROM audit_event
        WHERE entity_type = $1 AND entity_id = $2 AND ($3::integer IS NULL OR $3::integer = ANY(owner_local_government_ids))
          AND ($4::text IS NULL OR action = $4::text) AND ($5::integer IS NULL OR actor_user_id = $5::integer)
        ORDER BY id`,
      [entityType, entityId, filter.onlyForLocalGovernmentId ?? null, filter.action ?? null, filter.actorUserId ?? null],
    );
  }

  /** Outside any transaction: a refused request has none. */
  async insertSecurityEvent(row: SecurityEventRow): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO security_event (user_id, role, local_government_id, ip, method, route, status, reason, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [row.userId, row.role, row.localGovernmentId, row.ip, row.method, row.route, row.status, row.reason, row.detail],
    );
  }

  /**
   * The latest security events, newest first, with the user's and the local government's names for display.
   * The one read of other libs' tables here (app_user, local_government): the audit lib sits below identity and
   * organisations and cannot call their read models without an import cycle; it only joins names for the log page.
   */
  latestSecurityEvents(limit: number, beforeId: number | null): Promise<Record<string, unknown>[]> {
    return this.dataSource.query(
      `SELECT e.*, u.display_name || ' <' || u.email || '>' AS user_label, lg.name_nl AS lg_name
         FROM security_event e LEFT JOIN app_user u ON u.id = e.user_id LEFT JOIN local_government lg ON lg.id = e.local_government_id
        WHERE ($2::bigint IS NULL OR e.id < $2::bigint) ORDER BY e.id DESC LIMIT $1`,
      [limit, beforeId],
    );
  }
}

function json(value: object | null): string | null {
  return value === null ? null : JSON.stringify(value);
}
