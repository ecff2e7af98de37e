import { Role } from './roles';

/**
 * What each role may do: the one list the access guard reads. "own" limits a permission to
 * the records of the actor's own local government; "all" spans every applicant.
 */
export const PERMISSIONS = [
  'account:manage',
  'users:manage',
  'audit:read',
  'audit:read-personal',
  'applicants:read',
  'applicants:register',
  'applicants:edit',
  'partners:manage',
  'eligibility:read',
  'outbox:read',
  'applications:read',
  'applications:edit',
  'applications:submit',
  'applications:review',
  'applications:exceptions',
  'calls:manage',
  'security-log:read',
  'allocation:read',
  'allocation:manage',
  'payments:read',
  'money:approve',
  'reports:edit',
  'reports:review',
  'reports:reopen',
  'reports:queue',
  'overviews:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];
export type Scope = 'all' | 'own';

export const ROLE_PERMISSIONS: Record<Role, Partial<Record<Permission, Scope>>> = {
  'municipal-officer': {
    'account:manage': 'own',
    'audit:read': 'own',
    'audit:read-personal': 'own',
    'applicants:read': 'own',
    'applicants:register': 'own',
    'applicants:edit': 'own',
    'applications:read': 'own',
    'applications:edit': 'own',
    'applications:submit': 'own',
    'reports:edit': 'own',
  },
  'abb-reviewer': {
    'account:manage': 'own',
    'audit:read': 'all',
    'audit:read-personal': 'all',
    'applicants:read': 'all',
    'applicants:register': 'all',
    'applicants:edit': 'all',
    'eligibility:read': 'all',
    'applications:read': 'all',
    'applications:review': 'all',
    'allocation:read': 'all',
    'allocation:manage': 'all',
    'payments:read': 'all',
    'money:approve': 'all',
    'reports:review': 'all',
    'reports:queue': 'all',
    'overviews:read': 'all',
  },
  'abb-administrator': {
    'account:manage': 'own',
    'audit:read': 'all',
    'audit:read-personal': 'all',
    'applicants:read': 'all',
    'applicants:register': 'all',
    'applicants:edit': 'all',
    'partners:manage': 'all',
    'eligibility:read': 'all',
    'users:manage': 'all',
    'outbox:read': 'all',
    'applications:read': 'all',
    'applications:exceptions': 'all',
    'calls:manage': 'all',
    'security-log:read': 'all',
    'allocation:read': 'all',
    'payments:read': 'all',
    'money:approve': 'all',
    'reports:reopen': 'all',
    'reports:queue': 'all',
    'overviews:read': 'all',
  },
  'vvsg-analyst': {
    'account:manage': 'own',
    'audit:read': 'all',
    'applicants:read': 'all',
    'eligibility:read': 'all',
    'applications:read': 'all',
    'allocation:read': 'all',
    'overviews:read': 'all',
  },
  'platform-administrator': {
    'account:manage': 'own',
    'audit:read': 'all',
    'audit:read-personal': 'all',
    'applicants:read': 'all',
    'users:manage': 'all',
    'outbox:read': 'all',
    'eligibility:read': 'all',
  },
};

export function scopeOf(role: Role | null, permission: Permission): Scope | undefined {
  return role ? ROLE_PERMISSIONS[role][permission] : undefined;
}
