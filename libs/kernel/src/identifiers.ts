/** Checks of the identifiers the programme uses: KBO enterprise numbers, IBANs, phone numbers, NIS codes. */

/** "0207.437.468" or "0207437468" → "0207437468"; null when not 10 digits with a valid mod-97 check. */
export function normaliseKbo(text: string): string | null {
  const digits = text.replace(/[\s.]/g, '');
  if (!/^[01]\d{9}$/.test(digits)) return null;
  const check = 97 - (Number(digits.slice(0, 8)) % 97);
  return check === Number(digits.slice(8)) ? digits : null;
}

export function formatKbo(kbo: string): string {
  return `${kbo.slice(0, 4)}.${kbo.slice(4, 7)}.${kbo.slice(7)}`;
}

/** IBAN lengths of the SEPA countries. */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24,
  AT: 20,
  BE: 16,
  BG: 22,
  CH: 21,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  EE: 20,
  ES: 24,
  FI: 18,
  FR: 27,
  GB: 22,
  GI: 23,
  GR: 27,
  HR: 21,
  HU: 28,
  IE: 22,
  IS: 26,
  IT: 27,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MT: 31,
  NL: 18,
  NO: 15,
  PL: 28,
  PT: 25,
  RO: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  VA: 22,
};

function mod97(digits: string): number {
  let remainder = 0;
  for (const char of digits) remainder = (remainder * 10 + Number(char)) % 97;
  return remainder;
}

/** "BE68 5390 0754 7034" → "BE68539007547034"; null when the country, length or either check digit is wrong. */
export function normaliseIban(text: string): string | null {
  const iban = text.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban) || IBAN_LENGTHS[iban.slice(0, 2)] !== iban.length) return null;
  const numeric = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  if (mod97(numeric) !== 1) return null;
  if (iban.startsWith('BE')) {
    // Belgian account numbers carry their own check: the first 10 digits mod 97 (97 for 0).
    const check = Number(iban.slice(4, 14)) % 97 || 97;
    if (check !== Number(iban.slice(14))) return null;
  }
  return iban;
}

/**
 * A bank's BIC (ISO 9362), 8 or 11 characters: "gkcc be bb" → "GKCCBEBB"; null when it does not have that form. The
 * seventh character is never 0 or 1 (test BICs), the eighth never O.
 */
export function normaliseBic(text: string): string | null {
  const bic = text.replace(/\s/g, '').toUpperCase();
  return /^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/.test(bic) ? bic : null;
}

export function formatIban(iban: string): string {
  return iban.replace(/(.{4})/g, '$1 ').trim();
}

/** Belgian numbers ("09 266 55 00", "0470/12.34.56") or international ones ("+31 20 123 4567") → "+3292665500". */
export function normalisePhone(text: string): string | null {
  const compact = text.replace(/[\s./()-]/g, '');
  const belgian = /^(?:\+32|0032|0)([1-9]\d{7,8})$/.exec(compact);
  if (belgian) return `+32${belgian[1]}`;
  return /^\+[1-9]\d{7,14}$/.test(compact) ? compact : null;
}
