import { DateTime } from 'luxon';

/** Deadlines and windows of the programme are Europe/Brussels wall-clock times. */
export const BRUSSELS = 'Europe/Brussels';

/** "2023-07-10T12:00" (Brussels wall clock) → the instant it denotes. */
export function brusselsToInstant(local: string): Date {
  const parsed = DateTime.fromISO(local, { zone: BRUSSELS });
  if (!parsed.isValid) throw new RangeError(`not a Brussels local time: "${local}" (${parsed.invalidExplanation})`);
  return parsed.toJSDate();
}

/** An instant shown as Brussels wall-clock time, e.g. "10 juli 2023 12:00". */
export function formatBrussels(instant: Date, withTime = true): string {
  const format = withTime ? 'd LLLL yyyy HH:mm' : 'd LLLL yyyy';
  return DateTime.fromJSDate(instant, { zone: BRUSSELS }).setLocale('nl-BE').toFormat(format);
}

/** A calendar date (YYYY-MM-DD) shown in Dutch, e.g. "1 oktober 2022". */
export function formatDate(isoDate: string): string {
  return DateTime.fromISO(isoDate, { zone: BRUSSELS }).setLocale('nl-BE').toFormat('d LLLL yyyy');
}
