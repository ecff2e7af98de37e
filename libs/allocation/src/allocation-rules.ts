/**
 * The allocation engine: divides a call's budget over the confirmed claims of its applicants.
 * Pure (no framework, no database, no I/O), exact to the cent and deterministic.
 *
 * Rules:
 * 1. When the total confirmed amount fits the budget, every applicant receives exactly its confirmed
 *    amount (`fits: true`), whatever the policy; the rounds are still listed, each with outcome 'full'.
 * 2. Policy 'priority-rounds' pays in rounds, in this order:
 *    - 'stimuli': the granted stimuli of all applicants (only when `stimuliFirst`);
 *    - 'priority-1', 'priority-2', …: the lines of every applicant with that priority, ascending;
 *    - 'unprioritised': the lines without a priority, and the stimuli when `stimuliFirst` is false.
 *    Every round is offered the budget the earlier rounds left. A round that fits is paid in full; the
 *    first round that does not fit is scaled pro rata to exactly the budget left ('scaled', or 'none'
 *    when nothing is left); every later round with a confirmed amount gets nothing ('none').
 * 3. Policy 'pro-rata' pays everything (stimuli and lines) in one round 'pro-rata', scaled to the budget.
 * 4. Scaling a round of total T to the available budget A < T: item i's exact share is amount_i × A / T
 *    (computed exactly: in doubles while the product is a safe integer, else with BigInt). Each item gets floor(share); the leftover cents
 *    A − Σ floor (always fewer than the items) go one each to the items with the largest remainders
 *    (amount_i × A mod T). Ties are broken by applicantId ascending, then stimuli before lines, stimuli
 *    in the order cooperation, mentorship, impactBond, lines by actionNumber then kpiLineId ascending.
 *    An item never gets more than its amount: A < T makes share < amount, so floor(share) + 1 ≤ amount
 *    whenever the remainder is positive, and at least `leftover + 1` items have a positive remainder.
 * 5. Rounds without items are not listed. Lines and stimuli of 0 cents are allowed and receive 0.
 *    The result does not depend on the order of claims, lines or stimuli in the input.
 * 6. Inputs are validated (RangeError): budget and amounts are safe integers ≥ 0; applicantId, kpiLineId
 *    and actionNumber safe integers; priority an integer ≥ 1 or null; no applicant twice, no KPI line or
 *    stimulus kind twice within an applicant; all lines of one action of an applicant share one priority.
 */
import { assertCents, Cents } from '@ps/kernel';

export type AllocationPolicy = { kind: 'priority-rounds'; stimuliFirst: boolean } | { kind: 'pro-rata' };
export const DEFAULT_POLICY: AllocationPolicy = { kind: 'priority-rounds', stimuliFirst: true };

export type StimulusKind = 'cooperation' | 'mentorship' | 'impactBond';
/** Also the tie-break order of stimuli within one applicant. */
export const STIMULUS_KINDS: readonly StimulusKind[] = ['cooperation', 'mentorship', 'impactBond'];

/** A confirmed KPI line: amountCents = confirmed quantity × unit amount. */
export interface ClaimLine {
  kpiLineId: number;
  actionNumber: number;
  priority: number | null;
  amountCents: Cents;
}
export interface ClaimStimulus {
  kind: StimulusKind;
  cents: Cents;
}
export interface Claim {
  applicantId: number;
  lines: ClaimLine[];
  stimuli: ClaimStimulus[];
}

export type RoundName = 'stimuli' | `priority-${number}` | 'unprioritised' | 'pro-rata';
export type RoundOutcome = 'full' | 'scaled' | 'none';
/** An exact fraction in lowest terms, as decimal strings of integers. */
export interface Ratio {
  numerator: string;
  denominator: string;
}

export interface AllocationRound {
  round: RoundName;
  confirmedCents: Cents;
  /** The budget the earlier rounds left. */
  availableCents: Cents;
  allocatedCents: Cents;
  outcome: RoundOutcome;
  /** available / confirmed, only for the scaled round. */
  scale?: Ratio;
}
export interface LineAllocation {
  kpiLineId: number;
  actionNumber: number;
  priority: number | null;
  confirmedCents: Cents;
  allocatedCents: Cents;
  round: RoundName;
}
export interface StimulusAllocation {
  kind: StimulusKind;
  confirmedCents: Cents;
  allocatedCents: Cents;
  round: RoundName;
}
export interface ActionAllocation {
  actionNumber: number;
  priority: number | null;
  confirmedCents: Cents;
  allocatedCents: Cents;
}
/** What one round meant for one applicant; `outcome` is the round's outcome. */
export interface ExplanationStep {
  round: RoundName;
  confirmedCents: Cents;
  allocatedCents: Cents;
  outcome: RoundOutcome;
}
export interface ApplicantAllocation {
  applicantId: number;
  confirmedCents: Cents;
  allocatedCents: Cents;
  /** By actionNumber, then kpiLineId. */
  lines: LineAllocation[];
  /** In the order of STIMULUS_KINDS. */
  stimuli: StimulusAllocation[];
  /** By actionNumber. */
  actions: ActionAllocation[];
  /** The rounds in which the applicant had a line or stimulus, in round order. */
  explanation: ExplanationStep[];
}
export interface Allocation {
  policy: AllocationPolicy;
  budgetCents: Cents;
  confirmedCents: Cents;
  /** Always min(budget, confirmed). */
  allocatedCents: Cents;
  fits: boolean;
  rounds: AllocationRound[];
  /** By applicantId. */
  applicants: ApplicantAllocation[];
}

export function priorityRound(priority: number): RoundName {
  return `priority-${priority}`;
}

/** The Dutch name of a round, for decisions and screens. */
export function roundLabel(round: RoundName): string {
  if (round === 'stimuli') return 'Stimulansen';
  if (round === 'unprioritised') return 'Zonder prioriteit';
  if (round === 'pro-rata') return 'Pro rata';
  return `Prioriteit ${round.slice('priority-'.length)}`;
}

export function allocate(budgetCents: Cents, claims: Claim[], policy: AllocationPolicy): Allocation {
  assertAmount(budgetCents, 'budget');
  assertPolicy(policy);
  const items = claimItems(claims, policy);
  let remainingCents = budgetCents;
  const rounds = roundsInOrder(items).map((round) => {
    const paid = payRound(round, remainingCents);
    remainingCents -= paid.allocatedCents;
    return paid;
  });
  const confirmedCents = sumOf(items, 'confirmedCents');
  return {
    policy: { ...policy },
    budgetCents,
    confirmedCents,
    allocatedCents: budgetCents - remainingCents,
    fits: confirmedCents <= budgetCents,
    rounds,
    applicants: applicantAllocations(claims, items, rounds),
  };
}

// ---- items: every line and stimulus, in tie-break order, each in its round ----

interface Item {
  applicantId: number;
  /** The line, or for a stimulus null and its kind. */
  line: ClaimLine | null;
  kind: StimulusKind | null;
  confirmedCents: Cents;
  allocatedCents: Cents;
  round: RoundName;
  /** Rounds are paid by ascending order. */
  roundOrder: number;
}

function claimItems(claims: Claim[], policy: AllocationPolicy): Item[] {
  claims.forEach(assertClaim);
  assertUnique(
    claims.map((claim) => claim.applicantId),
    'applicantId',
  );
  const items: Item[] = [];
  for (const claim of [...claims].sort((a, b) => a.applicantId - b.applicantId)) {
    pushStimulusItems(items, claim, policy);
    pushLineItems(items, claim, policy);
  }
  return items;
}

function pushStimulusItems(items: Item[], claim: Claim, policy: AllocationPolicy): void {
  const placement = policy.kind === 'pro-rata' ? PRO_RATA : policy.stimuliFirst ? STIMULI_FIRST : UNPRIORITISED;
  const byKind = [...claim.stimuli].sort((a, b) => STIMULUS_KINDS.indexOf(a.kind) - STIMULUS_KINDS.indexOf(b.kind));
  for (const stimulus of byKind) {
    items.push({
      applicantId: claim.applicantId,
      line: null,
      kind: stimulus.kind,
      confirmedCents: stimulus.cents,
      allocatedCents: 0,
      round: placement.round,
      roundOrder: placement.roundOrder,
    });
  }
}

function pushLineItems(items: Item[], claim: Claim, policy: AllocationPolicy): void {
  const byAction = [...claim.lines].sort((a, b) => a.actionNumber - b.actionNumber || a.kpiLineId - b.kpiLineId);
  for (const line of byAction) {
    const placement = policy.kind === 'pro-rata' ? PRO_RATA : line.priority === null ? UNPRIORITISED : priorityPlacement(line.priority);
    items.push({
      applicantId: claim.applicantId,
      line,
      kind: null,
      confirmedCents: line.amountCents,
      allocatedCents: 0,
      round: placement.round,
      roundOrder: placement.roundOrder,
    });
  }
}

const priorityPlacements = new Map<number, Placement>();
/** One placement object per priority, shared by its lines. */
function priorityPlacement(priority: number): Placement {
  let placement = priorityPlacements.get(priority);
  if (!placement) priorityPlacements.set(priority, (placement = { round: priorityRound(priority), roundOrder: priority }));
  return placement;
}

type Placement = Pick<Item, 'round' | 'roundOrder'>;
const PRO_RATA: Placement = { round: 'pro-rata', roundOrder: 0 };
const STIMULI_FIRST: Placement = { round: 'stimuli', roundOrder: 0 };
const UNPRIORITISED: Placement = { round: 'unprioritised', roundOrder: Number.POSITIVE_INFINITY };

// ---- rounds ----

interface Round {
  name: RoundName;
  order: number;
  items: Item[];
}

/** Groups the items by round, keeping their tie-break order within each round. */
function roundsInOrder(items: Item[]): Round[] {
  const rounds = new Map<RoundName, Round>();
  for (const item of items) {
    const round = rounds.get(item.round) ?? { name: item.round, order: item.roundOrder, items: [] };
    round.items.push(item);
    rounds.set(item.round, round);
  }
  return [...rounds.values()].sort((a, b) => a.order - b.order);
}

/** Pays one round from the budget left and records the allocation on its items. */
function payRound(round: Round, availableCents: Cents): AllocationRound {
  const amounts = round.items.map((item) => item.confirmedCents);
  const confirmedCents = sumOf(round.items, 'confirmedCents');
  const outcome: RoundOutcome = confirmedCents <= availableCents ? 'full' : availableCents > 0 ? 'scaled' : 'none';
  const allocations = outcome === 'full' ? amounts : outcome === 'none' ? amounts.map(() => 0) : apportion(amounts, confirmedCents, availableCents);
  round.items.forEach((item, index) => (item.allocatedCents = allocations[index]));
  const paid: AllocationRound = { round: round.name, confirmedCents, availableCents, allocatedCents: sumOf(round.items, 'allocatedCents'), outcome };
  return outcome === 'scaled' ? { ...paid, scale: ratio(availableCents, confirmedCents) } : paid;
}

/**
 * Largest-remainder apportionment of `available` over `amounts` (summing to `total` > available).
 * The amounts arrive in tie-break order, so equal remainders go to the earlier item.
 */
function apportion(amounts: Cents[], total: Cents, available: Cents): Cents[] {
  const shares = amounts.map((amount) => share(amount, total, available));
  const leftover = available - sumOf(shares, 'floor');
  // A remainder is below `total`, a safe integer, so it compares exactly as a number.
  const byRemainder = shares.map((_, index) => index).sort((a, b) => shares[b].remainder - shares[a].remainder || a - b);
  const allocations = shares.map((share) => share.floor);
  for (const index of byRemainder.slice(0, leftover)) allocations[index] += 1;
  return allocations;
}

/** floor(amount × available / total) and its remainder, exactly: in doubles while the product is a safe integer, else with BigInt. */
function share(amount: Cents, total: Cents, available: Cents): { floor: number; remainder: number } {
  const product = amount * available;
  // Both halves keep floor × total within the safe integers, so every step below is exact.
  if (Number.isSafeInteger(product) && product <= Number.MAX_SAFE_INTEGER / 2 && total <= Number.MAX_SAFE_INTEGER / 2) {
    let floor = Math.floor(product / total);
    let remainder = product - floor * total;
    // The division rounds; correct the quotient by one where it rounded across an integer.
    if (remainder < 0) [floor, remainder] = [floor - 1, remainder + total];
    else if (remainder >= total) [floor, remainder] = [floor + 1, remainder - total];
    return { floor, remainder };
  }
  const exact = BigInt(amount) * BigInt(available);
  return { floor: Number(exact / BigInt(total)), remainder: Number(exact % BigInt(total)) };
}

function ratio(numerator: number, denominator: number): Ratio {
  const divisor = gcd(numerator, denominator);
  return { numerator: String(numerator / divisor), denominator: String(denominator / divisor) };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

// ---- per applicant ----

/** Also lists applicants without lines or stimuli (nothing confirmed, nothing allocated). */
/** Also lists applicants without lines or stimuli (nothing confirmed, nothing allocated). Items arrive grouped by applicant, in applicantId order. */
function applicantAllocations(claims: Claim[], items: Item[], rounds: AllocationRound[]): ApplicantAllocation[] {
  const roundIndex = new Map(rounds.map((round, index) => [round.round, index]));
  const ids = claims.map((claim) => claim.applicantId).sort((a, b) => a - b);
  const result: ApplicantAllocation[] = [];
  let next = 0;
  for (const applicantId of ids) {
    const first = next;
    while (next < items.length && items[next].applicantId === applicantId) next++;
    result.push(applicantAllocation(applicantId, items.slice(first, next), rounds, roundIndex));
  }
  return result;
}

/** One pass over the applicant's items: lines, stimuli, totals and what each round meant for the applicant. */
function applicantAllocation(applicantId: number, items: Item[], rounds: AllocationRound[], roundIndex: Map<RoundName, number>): ApplicantAllocation {
  const lines: LineAllocation[] = [];
  const stimuli: StimulusAllocation[] = [];
  const confirmedByRound = new Array<number>(rounds.length).fill(-1);
  const allocatedByRound = new Array<number>(rounds.length).fill(0);
  for (const item of items) {
    if (item.line) lines.push(lineAllocation(item.line, item));
    else stimuli.push({ kind: item.kind!, confirmedCents: item.confirmedCents, allocatedCents: item.allocatedCents, round: item.round });
    const index = roundIndex.get(item.round)!;
    confirmedByRound[index] = Math.max(confirmedByRound[index], 0) + item.confirmedCents;
    allocatedByRound[index] += item.allocatedCents;
  }
  const explanation: ExplanationStep[] = [];
  rounds.forEach((round, index) => {
    if (confirmedByRound[index] < 0) return; // the applicant had nothing in this round
    explanation.push({
      round: round.round,
      confirmedCents: assertCents(confirmedByRound[index]),
      allocatedCents: assertCents(allocatedByRound[index]),
      outcome: round.outcome,
    });
  });
  return {
    applicantId,
    confirmedCents: sumOf(items, 'confirmedCents'),
    allocatedCents: sumOf(items, 'allocatedCents'),
    lines,
    stimuli,
    actions: actionAllocations(lines),
    explanation,
  };
}

/** The exact sum of non-negative safe integers: checked once at the end, as no partial sum can exceed the total. */
function sumOf<K extends string>(rows: Record<K, Cents>[], key: K): Cents {
  let sum = 0;
  for (const row of rows) sum += row[key];
  return assertCents(sum, key);
}

function lineAllocation(line: ClaimLine, item: Item): LineAllocation {
  const { kpiLineId, actionNumber, priority } = line;
  return { kpiLineId, actionNumber, priority, confirmedCents: item.confirmedCents, allocatedCents: item.allocatedCents, round: item.round };
}

/** Lines arrive sorted by actionNumber, so the actions come out sorted too. */
function actionAllocations(lines: LineAllocation[]): ActionAllocation[] {
  const actions = new Map<number, ActionAllocation>();
  for (const line of lines) {
    const action = actions.get(line.actionNumber) ?? { actionNumber: line.actionNumber, priority: line.priority, confirmedCents: 0, allocatedCents: 0 };
    action.confirmedCents += line.confirmedCents;
    action.allocatedCents += line.allocatedCents;
    actions.set(line.actionNumber, action);
  }
  return [...actions.values()];
}

// ---- validation ----

function assertPolicy(policy: AllocationPolicy): void {
  const valid = policy.kind === 'pro-rata' || (policy.kind === 'priority-rounds' && typeof policy.stimuliFirst === 'boolean');
  if (!valid) throw new RangeError(`unknown allocation policy ${JSON.stringify(policy)}`);
}

function assertClaim(claim: Claim): void {
  assertIdentifier(claim.applicantId, 'applicantId');
  const where = `applicant ${claim.applicantId}`;
  claim.lines.forEach((line) => assertLine(line, where));
  claim.stimuli.forEach((stimulus) => assertStimulus(stimulus, where));
  assertUnique(
    claim.lines.map((line) => line.kpiLineId),
    `kpiLineId of ${where}`,
  );
  assertUnique(
    claim.stimuli.map((stimulus) => stimulus.kind),
    `stimulus kind of ${where}`,
  );
  assertOnePriorityPerAction(claim.lines, where);
}

const isAmount = (value: number) => Number.isSafeInteger(value) && value >= 0;

function assertLine(line: ClaimLine, where: string): void {
  const priorityValid = line.priority === null || (Number.isSafeInteger(line.priority) && line.priority >= 1);
  // The common case without building a message per line: at national scale there are a million lines.
  if (Number.isSafeInteger(line.kpiLineId) && Number.isSafeInteger(line.actionNumber) && isAmount(line.amountCents) && priorityValid) return;
  assertIdentifier(line.kpiLineId, `kpiLineId of ${where}`);
  assertIdentifier(line.actionNumber, `actionNumber of ${where}`);
  assertAmount(line.amountCents, `amount of KPI line ${line.kpiLineId} of ${where}`);
  const priority = line.priority;
  if (priority !== null && !(Number.isSafeInteger(priority) && priority >= 1)) {
    throw new RangeError(`priority of KPI line ${line.kpiLineId} of ${where} must be a whole number ≥ 1 or null, got ${priority}`);
  }
}

function assertStimulus(stimulus: ClaimStimulus, where: string): void {
  if (!STIMULUS_KINDS.includes(stimulus.kind)) throw new RangeError(`unknown stimulus kind "${stimulus.kind}" of ${where}`);
  if (isAmount(stimulus.cents)) return;
  assertAmount(stimulus.cents, `${stimulus.kind} stimulus of ${where}`);
}

function assertOnePriorityPerAction(lines: ClaimLine[], where: string): void {
  const priorities = new Map<number, number | null>();
  for (const line of lines) {
    const known = priorities.get(line.actionNumber);
    if (known !== undefined && known !== line.priority) {
      throw new RangeError(`action ${line.actionNumber} of ${where} has lines with priority ${known} and ${line.priority}`);
    }
    priorities.set(line.actionNumber, line.priority);
  }
}

function assertAmount(value: Cents, label: string): void {
  assertCents(value, label);
  if (value < 0) throw new RangeError(`${label} must not be negative, got ${value}`);
}

function assertIdentifier(value: number, label: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${label} must be a whole number, got ${value}`);
}

function assertUnique<T>(values: T[], label: string): void {
  const seen = new Set<T>();
  for (const value of values) {
    if (seen.has(value)) throw new RangeError(`duplicate ${label}: ${String(value)}`);
    seen.add(value);
  }
}
