import type * as hbs from 'hbs';
import { formatBrussels, formatEuro, formatKbo } from '@ps/kernel';

const numberFormat = new Intl.NumberFormat('nl-BE');

/** The formatting helpers pages and printable documents share: amounts, numbers and KBO numbers in Flemish notation. */
export const FORMAT_HELPERS = {
  euro: (cents: number) => formatEuro(cents),
  formatNumber: (value: number | null) => (value === null || value === undefined ? '' : numberFormat.format(value)),
  kbo: (kbo: string | null) => (kbo ? formatKbo(kbo) : ''),
  /** A moment as Brussels wall-clock date and time. */
  dateTime: (instant: Date | null) => (instant ? formatBrussels(instant) : ''),
};

/** Registers the shared formatting helpers on a Handlebars environment. */
export function registerFormatHelpers(handlebars: ReturnType<typeof hbs.create>): void {
  for (const [name, helper] of Object.entries(FORMAT_HELPERS)) handlebars.registerHelper(name, helper);
}
