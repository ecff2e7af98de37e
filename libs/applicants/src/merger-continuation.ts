import { formatDate } from '@ps/kernel';

/** A member local government with its period and the one it merged into (docs/calls.md, municipal mergers). */
export interface MemberAcrossMerger {
  id: number;
  nameNl: string;
  /** YYYY-MM-DD; null = open. */
  validFrom: string | null;
  validUntil: string | null;
  successorId: number | null;
  successorNameNl: string | null;
}

/** The local government a member continues as in a call: itself, or the successor it merged into. */
export interface Continuing {
  id: number;
  nameNl: string;
  /** Residents of non-EU origin on the new call's statistics basis (derived from the predecessors where needed); null when unknown. */
  residents: number | null;
}

export interface ContinuationQuestion {
  kind: 'alone' | 'cooperation' | 'vgc' | 'de-rand';
  members: MemberAcrossMerger[];
  /** The new call's reference date (YYYY-MM-DD) and eligibility settings. */
  referenceDate: string;
  threshold: number;
  originDefinition: string;
  referenceYear: number;
  /** What is known of each local government the members continue as, by id. */
  continuing: Map<number, Continuing>;
}

export interface Continuation {
  /** Whether any member merged before the new call's reference date; nothing else is said when none did. */
  merged: boolean;
  /** The members in the new call, each once (predecessors replaced by their successor). */
  members: Continuing[];
  /** Each successor that may apply alone: above the threshold on its own. */
  mayApplyAlone: Continuing[];
  /** Plain Dutch, for the applicant's page. */
  messages: string[];
}

const number = new Intl.NumberFormat('nl-BE');

const isValidOn = (m: MemberAcrossMerger, day: string) => (m.validFrom === null || m.validFrom <= day) && (m.validUntil === null || m.validUntil >= day);

/** Refusals for members that do not exist on a call's reference date: each names the successor to choose instead. Pure. */
export function notValidOn(members: MemberAcrossMerger[], referenceDate: string): string[] {
  return members
    .filter((m) => !isValidOn(m, referenceDate))
    .map((m) =>
      m.validUntil !== null && m.validUntil < referenceDate
        ? `${m.nameNl} bestaat niet meer op ${formatDate(referenceDate)}${m.successorNameNl ? `: kies ${m.successorNameNl}, waarin het is opgegaan` : ''}.`
        : `${m.nameNl} bestaat pas vanaf ${formatDate(m.validFrom!)}, na de startdatum van dit projectjaar (${formatDate(referenceDate)}).`,
    );
}

/**
 * How an applicant continues in a new call when members merged: the successor takes the place of its predecessors;
 * a successor above the threshold on its own may now apply alone. Pure: no I/O, no clock.
 */
export function continuationAfterMergers(question: ContinuationQuestion): Continuation {
  const { members, referenceDate, continuing } = question;
  const ended = members.filter((m) => !isValidOn(m, referenceDate) && m.successorId !== null);
  if (ended.length === 0) return { merged: false, members: [], mayApplyAlone: [], messages: [] };

  const ids = [...new Set(members.map((m) => (isValidOn(m, referenceDate) || m.successorId === null ? m.id : m.successorId)))];
  const next = ids.map((id) => continuing.get(id)).filter((c): c is Continuing => c !== undefined);
  const messages: string[] = [];
  for (const successorId of new Set(ended.map((m) => m.successorId!))) {
    const predecessors = ended.filter((m) => m.successorId === successorId).map((m) => m.nameNl);
    const successor = continuing.get(successorId);
    if (!successor) continue;
    messages.push(
      `${list(predecessors)} ${predecessors.length === 1 ? 'is' : 'zijn'} opgegaan in ${successor.nameNl}: in het nieuwe projectjaar neemt ${successor.nameNl} ${predecessors.length === 1 ? 'die plaats' : 'hun plaats'} in.`,
    );
  }
  const origin = `inwoners van ${question.originDefinition}-herkomst (${question.referenceYear})`;
  const successorIds = new Set(ended.map((m) => m.successorId!));
  const mayApplyAlone = next.filter((c) => successorIds.has(c.id) && c.residents !== null && c.residents > question.threshold);
  if (question.kind === 'cooperation' && next.length === 1) {
    const [only] = next;
    messages.push(
      only.residents === null
        ? `Het samenwerkingsverband telt nog één gemeente, ${only.nameNl}; haar cijfer is niet gekend, dus of ze alleen mag indienen, volgt pas na de import van de statistieken.`
        : only.residents > question.threshold
          ? `Het samenwerkingsverband telt nog één gemeente: ${only.nameNl} heeft ${number.format(only.residents)} ${origin}, meer dan de drempel van ${number.format(question.threshold)}, en mag nu alleen indienen.`
          : `Het samenwerkingsverband telt nog één gemeente: ${only.nameNl} heeft ${number.format(only.residents)} ${origin}, niet meer dan de drempel van ${number.format(question.threshold)}; alleen indienen kan niet, een samenwerking met een andere gemeente wel.`,
    );
  } else {
    for (const c of mayApplyAlone) {
      messages.push(
        `${c.nameNl} heeft ${number.format(c.residents!)} ${origin}, meer dan de drempel van ${number.format(question.threshold)}, en mag nu ook alleen indienen.`,
      );
    }
  }
  return { merged: true, members: next, mayApplyAlone, messages };
}

function list(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} en ${names[names.length - 1]}`;
}
