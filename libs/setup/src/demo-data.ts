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

/** Demo applicants of the latest call, by NIS code of lead and members ("vgc"/"de-rand" for those two). */
export const DEMO_APPLICANTS = [
  { kind: 'alone', nameNl: 'Stad Antwerpen', lead: '11002', members: [] },
  { kind: 'alone', nameNl: 'Stad Gent', lead: '44021', members: [] },
  { kind: 'cooperation', nameNl: 'Samenwerkingsverband Lier-Duffel-Berlaar', lead: '12021', members: ['12009', '12002'] },
  { kind: 'vgc', nameNl: 'Vlaamse Gemeenschapscommissie', lead: 'vgc', members: [] },
  { kind: 'de-rand', nameNl: 'vzw De Rand en de faciliteitengemeenten', lead: 'de-rand', members: ['23098', '23099', '23100', '23101', '23102', '23103'] },
] as const;

/** The demo's submission window: from midnight a week ago to 23:59:59 four weeks from today, Brussels time. */
export function demoSubmissionWindow(now: Date): { opensAt: Date; closesAt: Date } {
  const today = DateTime.fromJSDate(now, { zone: BRUSSELS }).startOf('day');
  return { opensAt: today.minus({ days: 7 }).toJSDate(), closesAt: today.plus({ days: 28 }).endOf('day').startOf('second').toJSDate() };
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
