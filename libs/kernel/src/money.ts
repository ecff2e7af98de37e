/** Money is always integer euro cents. These helpers keep it that way. */
export type Cents = number;

export function assertCents(value: number, label = 'amount'): Cents {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${label} must be a whole number of cents, got ${value}`);
  }
  return value;
}

/** Parses a euro amount written with at most two decimals ("25000", "60.5") into cents, exactly. */
export function eurosToCents(text: string): Cents {
  const match = /^(-?)(\d+)(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!match) throw new RangeError(`not a euro amount: "${text}"`);
  const [, sign, whole, fraction = ''] = match;
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return assertCents(sign ? -cents : cents);
}

/** Sums cents exactly (refuses anything that would lose precision). */
export function sumCents(values: Iterable<Cents>): Cents {
  let total = 0;
  for (const value of values) total = assertCents(total + assertCents(value));
  return total;
}

const euroFormat = new Intl.NumberFormat('nl-BE', { style: 'currency', currency: 'EUR' });

/** "€ 25.000,00" in Flemish notation. */
export function formatEuro(cents: Cents): string {
  return euroFormat.format(cents / 100);
}

/**
 * TypeORM transformer for bigint cent columns: node-postgres returns int8 as a string,
 * PGlite as a number; both become a safe integer number here.
 */
export const centsColumn = {
  to: (value: Cents | null | undefined) => value,
  from: (value: string | number | bigint | null) => (value === null ? null : assertCents(Number(value))),
};
