import { Role } from '@ps/identity';
import { Conflict, NotPermitted, Refusal } from '@ps/kernel';
import { reachesInterimThreshold } from './interim-threshold';

export const STATUSES = ['concept', 'ingediend', 'in-behandeling', 'goedgekeurd', 'afgewezen', 'terug-naar-aanvrager'] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_LABELS_NL: Record<Status, string> = {
  concept: 'Concept',
  ingediend: 'Ingediend',
  'in-behandeling': 'In behandeling',
  goedgekeurd: 'Goedgekeurd',
  afgewezen: 'Afgewezen',
  'terug-naar-aanvrager': 'Terug naar aanvrager',
};

/** The one state machine of an application: each transition from which statuses, to which, by which role only. */
export const TRANSITIONS = {
  submit: { from: ['concept', 'terug-naar-aanvrager'], to: 'ingediend', role: 'municipal-officer' },
  'start-review': { from: ['ingediend'], to: 'in-behandeling', role: 'abb-reviewer' },
  approve: { from: ['in-behandeling'], to: 'goedgekeurd', role: 'abb-reviewer' },
  reject: { from: ['in-behandeling'], to: 'afgewezen', role: 'abb-reviewer' },
  return: { from: ['in-behandeling'], to: 'terug-naar-aanvrager', role: 'abb-reviewer' },
  reopen: { from: ['ingediend', 'afgewezen'], to: 'concept', role: 'abb-administrator' },
} as const satisfies Record<string, { from: readonly Status[]; to: Status; role: Role }>;
export type Transition = keyof typeof TRANSITIONS;

/** Why a transition is not possible now (another role's step, or not from this status), or null when it is. */
export function transitionRefusal(transition: Transition, status: Status, role: Role | null): Refusal | null {
  const rule = TRANSITIONS[transition];
  if (role !== rule.role) return new NotPermitted('Deze stap is voorbehouden aan een andere rol.');
  if (!(rule.from as readonly Status[]).includes(status)) return new Conflict(`Dit kan niet bij een aanvraag met status "${STATUS_LABELS_NL[status]}".`);
  return null;
}

/** Officers change an application only while it is theirs to change. */
export function isEditable(status: Status): boolean {
  return status === 'concept' || status === 'terug-naar-aanvrager';
}

/**
 * A KPI line carries over into the next project year when its interim report reached the threshold
 * (the 25 % rule, `reachesInterimThreshold`), ABB recorded a positive evaluation, or ABB overrode with a reason.
 */
export function mayExtend(
  line: { confirmedQuantity: number; interimRealised: number | null; positiveEvaluation: boolean; overrideReason: string | null },
  thresholdPercent: number,
): boolean {
  const reached = line.interimRealised !== null && reachesInterimThreshold(line.confirmedQuantity, line.interimRealised, thresholdPercent);
  return reached || line.positiveEvaluation || !!line.overrideReason?.trim();
}
