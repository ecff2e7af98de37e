import { NotFound, NotPermitted, PERSONAL_DATA_PERMISSION, withoutPersonalData } from '@ps/kernel';
import { Permission, scopeOf } from './permissions';
import { Role } from './roles';

/**
 * The history of a record needs the permission to read that record: one entry per kind of record the audit trail
 * writes (`entityType`). `audit:read` is for records anyone signed in may read (calls, KPI lines, reference data).
 */
export const HISTORY_READ_PERMISSION = {
  user: 'users:manage',
  'api-token': 'users:manage',
  applicant: 'applicants:read',
  partner: 'applicants:read',
  application: 'applications:read',
  'allocation-run': 'allocation:read',
  call: 'audit:read',
  'kpi-line': 'audit:read',
  'origin-statistics': 'audit:read',
  'reference-regions': 'audit:read',
} as const satisfies Record<string, Permission>;
export type HistoryEntityType = keyof typeof HISTORY_READ_PERMISSION;

const personalDataPermission: Permission = PERSONAL_DATA_PERMISSION;

/** Whether the role sees personal data (docs/security.md, "Personal data"); officers only see records of their own local government anyway. */
export function seesPersonalData(role: Role | null): boolean {
  return !!scopeOf(role, personalDataPermission);
}

/** What a read model, page or export gives the role: the value itself, or a copy with every personal field null. */
export function asSeenBy<T>(role: Role | null, value: T): T {
  return seesPersonalData(role) ? value : withoutPersonalData(value);
}

export interface HistoryAccess {
  /** Only the entries owned by this local government: for a role that reads the record or the trail for its own only. */
  onlyForLocalGovernmentId?: number;
  /** Whether the entries keep their personal data. */
  personal: boolean;
}

/**
 * Who may read the history of a kind of record, and how much of it: unknown kinds do not exist (404); without the
 * record's read permission, 403. Assumes the caller has `audit:read` (the route's own rule).
 */
export function historyAccess(actor: { role: Role | null; localGovernmentId: number | null }, entityType: string): HistoryAccess {
  if (!Object.hasOwn(HISTORY_READ_PERMISSION, entityType)) throw new NotFound('Deze soort record heeft geen geschiedenis.');
  const permission = HISTORY_READ_PERMISSION[entityType as HistoryEntityType];
  const scopes = [scopeOf(actor.role, 'audit:read'), scopeOf(actor.role, permission)];
  if (scopes.includes(undefined)) throw new NotPermitted('U mag dit record niet lezen, en dus ook zijn geschiedenis niet.');
  return {
    onlyForLocalGovernmentId: scopes.includes('own') ? (actor.localGovernmentId ?? -1) : undefined,
    personal: seesPersonalData(actor.role),
  };
}
