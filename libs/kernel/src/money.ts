/** Money is always integer euro cents. These helpers keep it that way. */
export type Cents = number;

export function assertCents(value: number, label = 'amount'): Cents {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${label} must be a whole number of cents, got ${value}`);
  }
  return value;
}

/**
 * The one reading of a euro amount typed by a person or sent by a client (budgets, stimuli, unit amounts). The grammar,
 * after surrounding white space is dropped:
 *
 *   amount   = plain [ ("," | ".") decimals ]  |  grouped [ "," decimals ]
 *   plain    = "0" | nonzero { digit }                      10000, 0
 *   grouped  = nonzero [ digit [ digit ] ] { "." 3 digits }+ 10.000, 1.000.000 (dots between thousands)
 *   decimals = digit [ digit ]                               ,5  ,50  .50
 *
 * So a dot or comma followed by one or two digits at the end is the decimal mark, and dots between groups of exactly
 * three digits, after a head of one to three digits that does not start with 0, separate thousands. No text fits
 * both readings, so every accepted text means one amount. Everything else is refused rather than
 * guessed: "0.001" (three decimals, or a thousands dot after 0?), "1.00.000", "10.0000", "1.5.0", "10,000.50" (comma
 * thousands), "1.000.000.5", leading zeros ("007"), a sign, spaces or currency signs inside, more than two decimals.
 * An amount is never negative here.
 */
const EURO_AMOUNT = /^(?:(0|[1-9][0-9]*)(?:[.,]([0-9]{1,2}))?|([1-9][0-9]{0,2}(?:\.[0-9]{3})+)(?:,([0-9]{1,2}))?)$/;

/** The per-field message for a refused amount, with examples of the accepted forms. */
export const EURO_REFUSED =
  'Geef een bedrag in euro, zoals 10000, 10.000 of 10.000,50 (hoogstens twee decimalen; een punt tussen duizendtallen, zoals in 1.000.000,00).';

/** The amount in cents, or null when the text is not an amount by the grammar above (or too large for exact cents). */
export function parseEuros(text: string): Cents | null {
  if (text.length > 100) return null;
  const match = EURO_AMOUNT.exec(text.trim());
  if (!match) return null;
  const [, plain, plainFraction, grouped, groupedFraction] = match;
  const whole = plain ?? grouped.replace(/\./g, '');
  const fraction = (plain !== undefined ? plainFraction : groupedFraction) ?? '';
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : null;
}

/** parseEuros for trusted text (reference data): a RangeError instead of null. */
export function eurosToCents(text: string): Cents {
  const cents = parseEuros(text);
  if (cents === null) throw new RangeError(`not a euro amount: "${text}"`);
  return cents;
}

/** Sums cents exactly (refuses anything that would lose precision). */
export function sumCents(values: Iterable<Cents>): Cents {
  let total = 0;
  for (const value of values) total = assertCents(total + assertCents(value));
  return total;
}

const euroFormat = new Intl.NumberFormat('nl-BE', { style: 'currency', currency: 'EUR' });

/**
 * "€ 25.000,00" in Flemish notation, exactly as Intl's nl-BE currency format writes it (a no-break space after the
 * sign), but built by hand for whole cents: a page of an allocation run formats a few thousand amounts, and Intl took
 * about a microsecond each.
 */
export function formatEuro(cents: Cents): string {
  if (!Number.isSafeInteger(cents)) return euroFormat.format(cents / 100);
  const whole = Math.abs(cents);
  const rest = whole % 100;
  return `€\u00a0${cents < 0 ? '-' : ''}${thousands(Math.floor(whole / 100))},${rest < 10 ? '0' : ''}${rest}`;
}

/** 1234567 as "1.234.567". */
function thousands(value: number): string {
  const digits = String(value);
  let grouped = '';
  for (let i = 0; i < digits.length; i++) grouped += (i > 0 && (digits.length - i) % 3 === 0 ? '.' : '') + digits[i];
  return grouped;
}

/**
 * TypeORM transformer for bigint cent columns: node-postgres returns int8 as a string,
 * PGlite as a number; both become a safe integer number here.
 */
export const centsColumn = {
  to: (value: Cents | null | undefined) => value,
  from: (value: string | number | bigint | null) => (value === null ? null : assertCents(Number(value))),
};
