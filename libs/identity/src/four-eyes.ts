import { Actor } from './actor';
import { scopeOf } from './permissions';

/**
 * Four eyes on money: the decisions that move or forgo money need two different ABB people, one who proposes and
 * another who approves. This file is the one place that says who may do which step; every money route reaches it
 * through the allocation lib's ProposalsService. Each function answers null when allowed, else the Dutch refusal.
 */

/** The decisions that need a second person. */
export const MONEY_DECISIONS = ['publish-allocation', 'release-payments', 'waive-reclaim'] as const;
export type MoneyDecision = (typeof MONEY_DECISIONS)[number];

export const MONEY_DECISION_LABELS_NL: Record<MoneyDecision, string> = {
  'publish-allocation': 'Verdeling publiceren',
  'release-payments': 'Betaallijst vrijgeven',
  'waive-reclaim': 'Terugvordering kwijtschelden',
};

/** The permission to propose (as today, to publish) and the one to approve, both in the permission list. */
export const PROPOSE_PERMISSION = 'allocation:manage';
export const APPROVE_PERMISSION = 'money:approve';

type Person = Pick<Actor, 'userId' | 'role'>;

/** The parts of a proposal this rule looks at. */
export interface ProposalParties {
  proposedByUserId: number;
}

function personOf(actor: Person): string | null {
  // An operator command or the system is nobody: neither can answer for money.
  return actor.userId === null ? 'Alleen een aangemelde medewerker van ABB kan over geld beslissen.' : null;
}

/** A person with the right to manage allocations proposes. */
export function refusalToPropose(actor: Person): string | null {
  return personOf(actor) ?? (scopeOf(actor.role, PROPOSE_PERMISSION) === 'all' ? null : 'Alleen een dossierbehandelaar van ABB kan dit voorstellen.');
}

/** Another ABB person with the right to approve; never the one who proposed, whatever their roles. */
export function refusalToApprove(actor: Person, proposal: ProposalParties): string | null {
  const notAPerson = personOf(actor);
  if (notAPerson) return notAPerson;
  if (scopeOf(actor.role, APPROVE_PERMISSION) !== 'all') return 'Alleen een medewerker van ABB kan een voorstel goedkeuren.';
  if (actor.userId === proposal.proposedByUserId) return 'U hebt dit voorstel zelf gedaan: een tweede persoon van ABB moet het goedkeuren.';
  return null;
}

/** Either person may withdraw a pending proposal: the one who made it, or anyone who could approve it. */
export function refusalToWithdraw(actor: Person, proposal: ProposalParties): string | null {
  const notAPerson = personOf(actor);
  if (notAPerson) return notAPerson;
  if (actor.userId === proposal.proposedByUserId || scopeOf(actor.role, APPROVE_PERMISSION) === 'all') return null;
  return 'Alleen wie het voorstel deed of een medewerker van ABB die het kan goedkeuren, kan het intrekken.';
}

/**
 * Whether waiving a reclaim needs a second person: when it forgoes more than the call's threshold. Publishing an
 * allocation and releasing a payment list always do.
 */
export function waiverNeedsSecondPerson(waivedCents: number, thresholdCents: number): boolean {
  return waivedCents > thresholdCents;
}
