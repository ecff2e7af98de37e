import { Cents, sumCents } from '@ps/kernel';

export interface CatalogueLine {
  id: number;
  actionNumber: number;
  unitNl: string;
  maxQuantity: number;
  unitAmountCents: Cents;
}

/** What an officer submits: raw values, checked here. */
export interface DraftInput {
  lines: { kpiLineId: unknown; currentReach?: unknown; plannedReach?: unknown }[];
  priorities: { actionNumber: unknown; priority?: unknown }[];
  cooperationStimulus?: unknown;
  mentorship?: { actionNumber?: unknown; motivation?: unknown } | null;
  impactBond?: { expertise?: unknown; problem?: unknown; actionNumbers?: unknown; learningNetwork?: unknown } | null;
}

export interface CheckedLine {
  kpiLineId: number;
  actionNumber: number;
  currentReach: number;
  plannedReach: number;
  contributionCents: Cents;
}

export interface Stimuli {
  cooperation: boolean;
  mentorship: { actionNumber: number; motivation: string } | null;
  impactBond: { expertise: string; problem: string; actionNumbers: number[]; learningNetwork: boolean } | null;
}

export interface CheckedDraft {
  lines: CheckedLine[];
  priorities: Map<number, number>;
  stimuli: Stimuli;
  /** Refusals: nothing may be saved. Keyed by the form field, e.g. "planned-12", "priority-5". */
  errors: Record<string, string[]>;
  /** What still stands between this draft and a valid submission. */
  incomplete: Record<string, string[]>;
}

export const TEXT_MAX = 2500;

const wholeNumber = (value: unknown): number | null => {
  if (value === undefined || value === null || value === '') return 0;
  const text = String(value).trim();
  return /^\d{1,9}$/.test(text) ? Number(text) : null;
};

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/**
 * The contribution a typed planned reach gives, shown again beside the field after a refused save; null when the typed
 * text is no whole number within the line's maximum (it then has no amount).
 */
export function typedContribution(typed: unknown, line: { maxQuantity: number; unitAmountCents: Cents }): Cents | null {
  const planned = wholeNumber(typed);
  return planned === null || planned > line.maxQuantity ? null : planned * line.unitAmountCents;
}

/**
 * Checks an application draft against the call's catalogue. Errors are input that can never be
 * valid (above the maximum, negative, fractional, duplicate priorities, a priority without reach,
 * too-long texts); "incomplete" lists what a submission still needs. Pure: no I/O.
 */
/** `cooperationStimulusRefusal` says why the cooperation stimulus does not apply; the call's figures are the caller's to give. */
export function checkDraft(
  input: DraftInput,
  catalogue: CatalogueLine[],
  cooperationStimulusAllowed: boolean,
  cooperationStimulusRefusal = NO_COOPERATION_STIMULUS,
): CheckedDraft {
  const errors: Record<string, string[]> = {};
  const incomplete: Record<string, string[]> = {};
  const add = (bag: Record<string, string[]>, field: string, message: string) => (bag[field] ??= []).push(message);

  const byId = new Map(catalogue.map((line) => [line.id, line]));
  const lines: CheckedLine[] = [];
  const seen = new Set<number>();
  for (const raw of input.lines) {
    const line = byId.get(Number(raw.kpiLineId));
    if (!line) {
      add(errors, 'lines', `KPI-lijn ${String(raw.kpiLineId)} hoort niet bij dit projectjaar.`);
      continue;
    }
    // Twice in one save would let the last one silently win.
    if (seen.has(line.id)) {
      add(errors, `planned-${line.id}`, `Deze KPI-lijn (${line.unitNl}) staat meer dan één keer in de aanvraag; geef elke lijn één keer.`);
      continue;
    }
    seen.add(line.id);
    const current = wholeNumber(raw.currentReach);
    const planned = wholeNumber(raw.plannedReach);
    if (current === null) add(errors, `current-${line.id}`, 'Vul voor het huidige bereik een geheel getal van 0 of meer in.');
    if (planned === null || planned > line.maxQuantity)
      add(errors, `planned-${line.id}`, `Vul voor het geplande bereik een geheel getal van 0 tot ${line.maxQuantity} in (${line.unitNl}).`);
    lines.push({
      kpiLineId: line.id,
      actionNumber: line.actionNumber,
      currentReach: current ?? 0,
      plannedReach: planned ?? 0,
      contributionCents: (planned ?? 0) * line.unitAmountCents,
    });
  }

  const committed = new Set(lines.filter((l) => l.plannedReach > 0).map((l) => l.actionNumber));
  const priorities = checkPriorities(input.priorities, committed, errors, incomplete, add);
  if (committed.size === 0) add(incomplete, 'lines', 'Plan voor minstens één KPI-lijn een bereik groter dan 0.');

  const stimuli = checkStimuli(input, cooperationStimulusAllowed ? null : cooperationStimulusRefusal, errors, incomplete, add);
  return { lines, priorities, stimuli, errors, incomplete };
}

type Add = (bag: Record<string, string[]>, field: string, message: string) => void;

function checkPriorities(
  raw: DraftInput['priorities'],
  committed: Set<number>,
  errors: Record<string, string[]>,
  incomplete: Record<string, string[]>,
  add: Add,
): Map<number, number> {
  const priorities = new Map<number, number>();
  const holder = new Map<number, number>();
  const seen = new Set<number>();
  for (const { actionNumber, priority } of raw) {
    const action = Number(actionNumber);
    if (seen.has(action)) {
      add(errors, `priority-${action}`, `Actie ${action} staat meer dan één keer in de prioriteiten; geef elke actie één keer.`);
      continue;
    }
    seen.add(action);
    if (priority === undefined || priority === null || priority === '') continue;
    const value = wholeNumber(priority);
    if (value === null || value < 1 || value > 24) {
      add(errors, `priority-${action}`, 'Een prioriteit is een geheel getal van 1 tot 24.');
    } else if (!committed.has(action)) {
      add(errors, `priority-${action}`, `Geef enkel een prioriteit aan acties waarvoor u bereik plant (actie ${action}).`);
    } else if (holder.has(value)) {
      add(errors, `priority-${action}`, `Prioriteit ${value} is al gegeven aan actie ${holder.get(value)}; elk nummer één keer.`);
    } else {
      holder.set(value, action);
      priorities.set(action, value);
    }
  }
  for (const action of committed) if (!priorities.has(action)) add(incomplete, `priority-${action}`, `Geef actie ${action} een prioriteit.`);
  const expected = committed.size;
  const outOfRange = [...priorities.entries()].filter(([, value]) => value > expected);
  for (const [action] of outOfRange) add(incomplete, `priority-${action}`, `De prioriteiten zijn de nummers 1 tot ${expected}, elk één keer.`);
  return priorities;
}

const NO_COOPERATION_STIMULUS = 'De samenwerkingsstimulans is niet van toepassing op deze projectindiener.';

function checkStimuli(
  input: DraftInput,
  cooperationRefusal: string | null,
  errors: Record<string, string[]>,
  incomplete: Record<string, string[]>,
  add: Add,
): Stimuli {
  const cooperation = input.cooperationStimulus === true || input.cooperationStimulus === 'true';
  if (cooperation && cooperationRefusal !== null) add(errors, 'cooperation-stimulus', cooperationRefusal);

  let mentorship: Stimuli['mentorship'] = null;
  if (input.mentorship && (input.mentorship.actionNumber || text(input.mentorship.motivation))) {
    const action = wholeNumber(input.mentorship.actionNumber);
    const motivation = text(input.mentorship.motivation);
    if (action !== null && action > 24) add(errors, 'mentorship-action', 'Kies een actie uit de lijst.');
    else if (!action) add(incomplete, 'mentorship-action', 'Kies de actie waarop u andere besturen coacht.');
    if (motivation.length > TEXT_MAX) add(errors, 'mentorship-motivation', `De motivatie mag hoogstens ${TEXT_MAX} tekens hebben (nu ${motivation.length}).`);
    if (!motivation) add(incomplete, 'mentorship-motivation', 'Motiveer het mentorschap.');
    mentorship = { actionNumber: action ?? 0, motivation };
  }

  let impactBond: Stimuli['impactBond'] = null;
  if (input.impactBond) {
    const expertise = text(input.impactBond.expertise);
    const problem = text(input.impactBond.problem);
    const actions = (
      Array.isArray(input.impactBond.actionNumbers) ? input.impactBond.actionNumbers : input.impactBond.actionNumbers ? [input.impactBond.actionNumbers] : []
    ).map(wholeNumber);
    const learningNetwork = input.impactBond.learningNetwork === true || input.impactBond.learningNetwork === 'true';
    for (const [field, value] of [
      ['impact-expertise', expertise],
      ['impact-problem', problem],
    ] as const) {
      if (value.length > TEXT_MAX) add(errors, field, `Dit veld mag hoogstens ${TEXT_MAX} tekens hebben (nu ${value.length}).`);
    }
    if (actions.some((a) => !a || a > 24)) add(errors, 'impact-actions', 'Kies acties uit de lijst.');
    if (!expertise) add(incomplete, 'impact-expertise', 'Beschrijf de expertise voor de sociale impact obligatie.');
    if (!problem) add(incomplete, 'impact-problem', 'Beschrijf het maatschappelijk probleem dat u aanpakt.');
    if (actions.length === 0) add(incomplete, 'impact-actions', 'Kies de acties van de sociale impact obligatie.');
    if (!learningNetwork)
      add(incomplete, 'impact-learning-network', 'Een sociale impact obligatie vraagt de bereidheid om deel te nemen aan een lerend netwerk.');
    impactBond = { expertise, problem, actionNumbers: actions.filter((a): a is number => !!a), learningNetwork };
  }
  return { cooperation, mentorship, impactBond };
}

export interface StimulusAmounts {
  cooperationCents: Cents;
  mentorshipCents: Cents | null;
  impactBondCents: Cents | null;
}

export interface Totals {
  flemishContributionCents: Cents;
  localCofinancingCents: Cents;
  stimuliCents: Cents;
  totalFlemishCents: Cents;
}

/** Flemish contribution = local co-financing (1:1); stimuli come on top without co-financing. */
export function totals(lines: { contributionCents: Cents }[], stimuli: Stimuli, amounts: StimulusAmounts): Totals {
  const flemish = sumCents(lines.map((l) => l.contributionCents));
  const stimuliCents = sumCents([
    stimuli.cooperation ? amounts.cooperationCents : 0,
    stimuli.mentorship ? (amounts.mentorshipCents ?? 0) : 0,
    stimuli.impactBond ? (amounts.impactBondCents ?? 0) : 0,
  ]);
  return { flemishContributionCents: flemish, localCofinancingCents: flemish, stimuliCents, totalFlemishCents: flemish + stimuliCents };
}
