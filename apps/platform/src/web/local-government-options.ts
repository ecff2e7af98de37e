import * as hbs from 'hbs';
import { LocalGovernment, LocalGovernmentChoices } from '@ps/organisations';
import { formatDate } from '@ps/kernel';

/**
 * How a select names a local government:
 * - `account`: every one, merged municipalities with their period (a user's local government: Antwerpen is there
 *   before and after 2025, for its officers' accounts);
 * - `lead`: every one, a municipality with its NIS code (an applicant's lead).
 */
export type LocalGovernmentOptionKind = 'account' | 'lead';

interface Option {
  id: number;
  /** `<option value="id"`, to close with `>` or ` selected>`. */
  head: string;
  /** The escaped label and `</option>`. */
  tail: string;
}

// Per list of choices (the same object while the table does not change) and kind: the options, escaped once.
const made = new WeakMap<LocalGovernmentChoices, Map<LocalGovernmentOptionKind, Option[]>>();

/**
 * The `<option>`s of a select of local governments, the chosen one selected. The labels are made and escaped once per
 * version of the list: at 100× (14,868 local governments) making and rendering them per request took about 200 ms.
 */
export function localGovernmentOptions(
  choices: LocalGovernmentChoices,
  kind: LocalGovernmentOptionKind,
  { selected = '' }: { selected?: string } = {},
): hbs.SafeString {
  let kinds = made.get(choices);
  if (!kinds) made.set(choices, (kinds = new Map()));
  let options = kinds.get(kind);
  if (!options) kinds.set(kind, (options = optionsOf(choices.localGovernments, kind)));
  let html = '';
  for (const option of options) html += option.head + (String(option.id) === selected ? ' selected>' : '>') + option.tail;
  return new hbs.handlebars.SafeString(html);
}

function optionsOf(localGovernments: readonly LocalGovernment[], kind: LocalGovernmentOptionKind): Option[] {
  const escape = hbs.handlebars.Utils.escapeExpression;
  return localGovernments.map((lg) => ({ id: lg.id, head: `<option value="${lg.id}"`, tail: `${escape(labelOf(lg, kind))}</option>` }));
}

function labelOf(lg: LocalGovernment, kind: LocalGovernmentOptionKind): string {
  if (!lg.nisCode) return lg.nameNl;
  return kind === 'account' ? `${lg.nameNl} (${[lg.nisCode, ...period(lg)].join(', ')})` : `${lg.nameNl} (${lg.nisCode})`;
}

/** "tot 31 december 2024" or "vanaf 1 januari 2025" for a local government with a period (docs/calls.md, municipal mergers). */
function period(lg: { validFrom: string | null; validUntil: string | null }): string[] {
  return [...(lg.validFrom ? [`vanaf ${formatDate(lg.validFrom)}`] : []), ...(lg.validUntil ? [`tot ${formatDate(lg.validUntil)}`] : [])];
}
