import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { AuditRepository } from './audit.repository';

/** Why a request was refused; the codes ABB filters on. */
export const SECURITY_REASONS = [
  'sign-in-failed',
  'sign-in-locked',
  'sign-in-throttled',
  'sign-in-throttled-global',
  'token-unknown',
  'token-expired',
  'token-revoked',
  'token-user-inactive',
  'csrf-invalid',
  'permission-missing',
  'no-access-rule',
  'other-local-government',
  'refused-by-rule',
  'sign-in-password-off',
  'provider-refused',
  'provider-callback-invalid',
] as const;
export type SecurityReason = (typeof SECURITY_REASONS)[number];

export interface SecurityEventInput {
  userId: number | null;
  role: string | null;
  localGovernmentId: number | null;
  ip: string | null;
  method: string;
  route: string;
  status: number;
  reason: SecurityReason;
  /** What was tried, never a secret: the e-mail address of a failed sign-in, a token's public prefix, a permission. */
  detail?: string | null;
}

export interface SecurityEvent extends SecurityEventInput {
  id: number;
  occurredAt: Date;
  userLabel: string | null;
  localGovernmentName: string | null;
}

/**
 * The security log: refused requests, so ABB can see probing. Not the business audit trail: written outside
 * any transaction (a refused request has none), and a failed write is logged and forgotten, never a 500.
 */
@Injectable()
export class SecurityLog implements BeforeApplicationShutdown {
  private readonly logger = new Logger('SecurityLog');
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly repository: AuditRepository) {}

  /** Writes one event; resolves once written or once the failure is logged; never rejects. */
  record(event: SecurityEventInput): Promise<void> {
    const write = this.repository
      .insertSecurityEvent({
        userId: event.userId,
        role: event.role,
        localGovernmentId: event.localGovernmentId,
        ip: cut(event.ip, 64),
        method: cut(event.method, 10)!,
        route: cut(event.route, 300)!,
        status: event.status,
        reason: event.reason,
        detail: cut(event.detail ?? null, 300),
      })
      .then(
        () => undefined,
        (error: Error) => this.logger.error(`could not log ${event.status} ${event.reason} on ${event.method} ${event.route}: ${error.message}`),
      );
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
    return write;
  }

  /** The latest events, newest first; before an id for the next page. */
  async latest(limit: number, beforeId?: number): Promise<SecurityEvent[]> {
    const rows = await this.repository.latestSecurityEvents(limit, beforeId ?? null);
    return rows.map(toEvent);
  }

  /** Writes still under way finish before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}

function cut(value: string | null, max: number): string | null {
  return value === null ? null : value.slice(0, max);
}

function toEvent(row: Record<string, unknown>): SecurityEvent {
  return {
    id: Number(row.id),
    occurredAt: row.occurred_at as Date,
    userId: (row.user_id as number | null) ?? null,
    userLabel: (row.user_label as string | null) ?? null,
    role: (row.role as string | null) ?? null,
    localGovernmentId: (row.local_government_id as number | null) ?? null,
    localGovernmentName: (row.lg_name as string | null) ?? null,
    ip: (row.ip as string | null) ?? null,
    method: row.method as string,
    route: row.route as string,
    status: Number(row.status),
    reason: row.reason as SecurityReason,
    detail: (row.detail as string | null) ?? null,
  };
}
