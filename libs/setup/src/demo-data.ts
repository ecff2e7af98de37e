import { DateTime } from 'luxon';
import { BRUSSELS } from '@ps/kernel';

/** What the demo data signs people in with; printed at start in development mode only. */
export const DEMO_PASSWORD = 'Samenleven-demo-2026';

export const DEMO_USERS = [
  { email: 'beheerder@abb.demo', displayName: 'An Beheerder (ABB)', role: 'abb-administrator' },
  { email: 'beoordelaar@abb.demo', displayName: 'Bart Beoordelaar (ABB)', role: 'abb-reviewer' },
  { email: 'analist@vvsg.demo', displayName: 'Vera Analist (VVSG)', role: 'vvsg-analyst' },
  { email: 'platform@beheer.demo', displayName: 'Pieter Platformbeheer', role: 'platform-administrator' },
  { email: 'medewerker@gent.demo', displayName: 'Griet Medewerker (Gent)', role: 'municipal-officer', nisCode: '44021' },
  { email: 'medewerker@lier.demo', displayName: 'Lode Medewerker (Lier)', role: 'municipal-officer', nisCode: '12021' },
  { email: 'medewerker@duffel.demo', displayName: 'Dirk Medewerker (Duffel)', role: 'municipal-officer', nisCode: '12009' },
] as const;

/** A fictional but valid Belgian IBAN as Gent's usual account, so the demo shows both letter cases. */
export const DEMO_USUAL_IBAN_GENT = 'BE68539007547034';

/** The day the mergers of 2025 took effect ('YYYY-MM-DD'). */
export const MERGERS_TAKE_EFFECT = '2025-01-01';

/**
 * Demo applicants of the latest call, by NIS code of lead and members ("vgc"/"de-rand" for those two). `afterMergers`:
 * only in a call whose reference date is on or after the mergers (the demo's current call): Beveren-Kruibeke-Zwijndrecht
 * (46030) exists from 2025 on.
 */
export const DEMO_APPLICANTS: readonly {
  kind: 'alone' | 'cooperation' | 'vgc' | 'de-rand';
  nameNl: string;
  lead: string;
  members: readonly string[];
  afterMergers?: boolean;
}[] = [
  { kind: 'alone', nameNl: 'Stad Antwerpen', lead: '11002', members: [] },
  { kind: 'alone', nameNl: 'Stad Gent', lead: '44021', members: [] },
  { kind: 'cooperation', nameNl: 'Samenwerkingsverband Lier-Duffel-Berlaar', lead: '12021', members: ['12009', '12002'] },
  { kind: 'vgc', nameNl: 'Vlaamse Gemeenschapscommissie', lead: 'vgc', members: [] },
  { kind: 'de-rand', nameNl: 'vzw De Rand en de faciliteitengemeenten', lead: 'de-rand', members: ['23098', '23099', '23100', '23101', '23102', '23103'] },
  { kind: 'cooperation', nameNl: 'Samenwerkingsverband Waasland', lead: '46030', members: ['46021', '46025'], afterMergers: true },
];

/** The signatory and means of appeal of the demo's current call: fictional, marked as such in the letters themselves. */
export const DEMO_DECISION_LETTER = {
  signatoryName: 'Dora Demo (fictief)',
  signatoryFunction: 'Afdelingshoofd Binnenlands Bestuur (demo)',
  appealText:
    'Dit is een demotekst. In een echte oproep staat hier hoe en binnen welke termijn u deze beslissing kunt aanvechten, ' +
    'zoals het Bestuursdecreet vraagt.',
};

/** The seed of the demo's history (the data generator at 1×): the same story on every fresh start. */
export const DEMO_STORY_SEED = 20260101;

/** A submission window from midnight a week ago to 23:59:59 four weeks from today, Brussels time. */
export function demoSubmissionWindow(now: Date): { opensAt: Date; closesAt: Date } {
  const today = DateTime.fromJSDate(now, { zone: BRUSSELS }).startOf('day');
  return { opensAt: today.minus({ days: 7 }).toJSDate(), closesAt: today.plus({ days: 28 }).endOf('day').startOf('second').toJSDate() };
}

/**
 * The calendar of the demo's current call, from the clock at its creation: the window as above, the decision three
 * weeks after it closes, a project of twelve months from the first of the month after the decision, the interim report
 * due seven months in (the 5th, like the real years) and the final report a fortnight after the project, all at 23:59:59
 * Brussels time.
 */
export function demoCurrentCallDates(now: Date) {
  const window = demoSubmissionWindow(now);
  const decision = DateTime.fromJSDate(window.closesAt, { zone: BRUSSELS }).plus({ weeks: 3 }).startOf('day');
  const projectStart = decision.plus({ months: 1 }).startOf('month');
  const projectEnd = projectStart.plus({ years: 1 }).minus({ days: 1 });
  const endOfDay = (day: DateTime) => day.endOf('day').startOf('second').toJSDate();
  return {
    submissionOpens: window.opensAt,
    submissionCloses: window.closesAt,
    decisionDate: decision.toISODate()!,
    projectStart: projectStart.toISODate()!,
    projectEnd: projectEnd.toISODate()!,
    interimReportDue: endOfDay(projectStart.plus({ months: 7 }).set({ day: 5 })),
    finalReportDue: endOfDay(projectEnd.plus({ days: 15 })),
  };
}

/**
 * Fictional residents of non-EU origin: a share of 3 % to 25 % of the 2020 population,
 * fixed per NIS code so reloading gives the same figures. NOT official statistics.
 */
export function fictionalResidents(nisCode: string, inhabitants: number, referenceYear: number): number {
  const share = ((Number(nisCode) * 7919) % 23) + 3;
  const drift = 1 + (referenceYear - 2021) / 50;
  return Math.floor((inhabitants * share * drift) / 100);
}

export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
