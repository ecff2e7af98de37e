import { Role } from './roles';

/** Who is acting: a signed-in user (by session or API token), or an operator command. */
export interface Actor {
  userId: number | null;
  label: string;
  role: Role | null;
  localGovernmentId: number | null;
  via: 'session' | 'token' | 'cli' | 'system';
}

export const SYSTEM_ACTOR: Actor = { userId: null, label: 'systeem', role: null, localGovernmentId: null, via: 'system' };

export function cliActor(): Actor {
  return { userId: null, label: `cli (${process.env.USER ?? 'operator'})`, role: null, localGovernmentId: null, via: 'cli' };
}
