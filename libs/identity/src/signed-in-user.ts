import { Role } from './roles';
import type { SignInRow } from './users.repository';

export interface SignedInUser {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  localGovernmentId: number | null;
}

/** A user row (id, email, display_name, role, local_government_id) as the signed-in user. */
export function signedInUser(row: SignInRow): SignedInUser {
  return { id: row.id, email: row.email, displayName: row.display_name, role: row.role, localGovernmentId: row.local_government_id ?? null };
}
