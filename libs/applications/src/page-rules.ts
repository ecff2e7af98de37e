import { Role, scopeOf } from '@ps/identity';
import { isEditable, Status } from './workflow';

/** What an actor may do with an application, for a page to offer (the use cases check it again). */
export interface ApplicationAbilities {
  /** An officer may change the draft (action table, priorities, stimuli). */
  editable: boolean;
  /** ... and submit it, when the officer belongs to the lead local government. */
  canSubmit: boolean;
  canReview: boolean;
  canExcept: boolean;
}

/** The one answer to "may this user edit, submit, review, make exceptions?" for an application. */
export function applicationAbilities(
  application: { status: Status; leadLocalGovernmentId: number },
  actor: { role: Role | null; localGovernmentId: number | null },
): ApplicationAbilities {
  const editable = actor.role === 'municipal-officer' && isEditable(application.status);
  return {
    editable,
    canSubmit: editable && !!scopeOf(actor.role, 'applications:submit') && actor.localGovernmentId === application.leadLocalGovernmentId,
    canReview: !!scopeOf(actor.role, 'applications:review'),
    canExcept: !!scopeOf(actor.role, 'applications:exceptions'),
  };
}

/** A decision letter exists once the application is approved or rejected. */
export function isDecided(status: Status): boolean {
  return status === 'goedgekeurd' || status === 'afgewezen';
}
