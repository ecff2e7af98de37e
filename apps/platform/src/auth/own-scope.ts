import { Actor, Permission, scopeOf } from '@ps/identity';

/** For an officer ("own" scope) the id of their local government, to narrow a list; undefined for those who see all. */
export function ownScope(actor: Actor, permission: Permission): number | undefined {
  return scopeOf(actor.role, permission) === 'own' ? (actor.localGovernmentId ?? -1) : undefined;
}
