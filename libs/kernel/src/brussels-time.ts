import { DateTime } from 'luxon';
import { FieldErrors } from './errors';

/** Deadlines and windows of the programme are Europe/Brussels wall-clock times. */
export const BRUSSELS = 'Europe/Brussels';

export const BRUSSELS_INSTANT_REFUSED = 'Geef een bestaande datum en uur als JJJJ-MM-DDTuu:mm (Brusselse tijd).';

/** A Brussels wall-clock time typed into `field` → its instant; a date that does not exist is refused under that field. */
export function brusselsInstantOf(local: string, field: string): Date {
  try {
    return brusselsToInstant(local);
  } catch {
    throw new FieldErrors({ [field]: [BRUSSELS_INSTANT_REFUSED] });
  }
}

/** "2023-07-10T12:00" (Brussels wall clock) → the instant it denotes. */
export function brusselsToInstant(local: string): Date {
  const parsed = DateTime.fromISO(local, { zone: BRUSSELS });
  if (!parsed.isValid) throw new RangeError(`not a Brussels local time: "${local}" (${parsed.invalidExplanation})`);
  return parsed.toJSDate();
}

// Made once: every application answer shows its submission window, and luxon per call cost a few % of a draft save.
const brusselsDate = new Intl.DateTimeFormat('nl-BE', { timeZone: BRUSSELS, day: 'numeric', month: 'long', year: 'numeric' });
const brusselsDateTime = new Intl.DateTimeFormat('nl-BE', {
  timeZone: BRUSSELS,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

// The same few instants (a call's window) are shown on every application answer: formatted once each.
const formatted = new Map<string, string>();

/** An instant shown as Brussels wall-clock time, e.g. "10 juli 2023 12:00". */
export function formatBrussels(instant: Date, withTime = true): string {
  const key = `${instant.getTime()}${withTime ? 't' : 'd'}`;
  let text = formatted.get(key);
  if (text === undefined) {
    if (formatted.size >= 1000) formatted.clear();
    formatted.set(key, (text = formatParts(instant, withTime)));
  }
  return text;
}

function formatParts(instant: Date, withTime: boolean): string {
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const { type, value } of (withTime ? brusselsDateTime : brusselsDate).formatToParts(instant)) part[type] = value;
  return `${part.day} ${part.month} ${part.year}${withTime ? ` ${part.hour}:${part.minute}` : ''}`;
}

/** A calendar date (YYYY-MM-DD) shown in Dutch, e.g. "1 oktober 2022". */
export function formatDate(isoDate: string): string {
  return DateTime.fromISO(isoDate, { zone: BRUSSELS }).setLocale('nl-BE').toFormat('d LLLL yyyy');
}

/** The Brussels calendar day of an instant, as YYYY-MM-DD (what "today" means for validity periods). */
export function brusselsDateOf(instant: Date): string {
  return DateTime.fromJSDate(instant, { zone: BRUSSELS }).toISODate()!;
}
