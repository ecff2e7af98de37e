import { DateTime } from 'luxon';
import { BRUSSELS } from '@ps/kernel';

/** Days before a report deadline a reminder is stored under (report_reminder.days_before). */
export type ReminderStage = 14 | 3 | 0;

/**
 * When each reminder goes out, in Europe/Brussels calendar days before the day of the deadline.
 *
 * A reminder is due on its own day (14 days before, 3 days before, the day itself). Catch-up: when the job did not
 * run on that day (an outage, a deploy at 07:00), the most recent reminder still goes out on a later day, but only
 * while it says something true and no later reminder has taken over: the 14-day one up to 4 days before, the 3-day
 * one up to the day before, the day-0 one only on the day itself and only before the deadline's moment. So an
 * officer gets at most one reminder per stage and never a "14 days" reminder two days before the deadline.
 * The same window lets an application approved late (say 6 days before) still get the 14-day reminder.
 */
export const REMINDER_WINDOWS: readonly { stage: ReminderStage; fromDaysLeft: number; toDaysLeft: number }[] = [
  { stage: 14, fromDaysLeft: 14, toDaysLeft: 4 },
  { stage: 3, fromDaysLeft: 3, toDaysLeft: 1 },
  { stage: 0, fromDaysLeft: 0, toDaysLeft: 0 },
];

/** The furthest ahead a deadline can be and still have a reminder due (for the database query). */
export const REMINDER_HORIZON_DAYS = 15;

/** Brussels calendar days from the day of `now` to the day of `dueAt` (0 on the day itself, negative after it). */
export function brusselsDaysLeft(now: Date, dueAt: Date): number {
  const day = (instant: Date) => DateTime.fromISO(DateTime.fromJSDate(instant, { zone: BRUSSELS }).toISODate()!, { zone: 'utc' });
  return Math.round(day(dueAt).diff(day(now), 'days').days);
}

/** The reminder due now for a report with this deadline, if any (whether it was sent already is the database's to say). */
export function reminderDue(now: Date, dueAt: Date): { stage: ReminderStage; daysLeft: number } | null {
  if (now >= dueAt) return null;
  const daysLeft = brusselsDaysLeft(now, dueAt);
  const window = REMINDER_WINDOWS.find((w) => daysLeft <= w.fromDaysLeft && daysLeft >= w.toDaysLeft);
  return window ? { stage: window.stage, daysLeft } : null;
}
