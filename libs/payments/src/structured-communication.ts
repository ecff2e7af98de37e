/**
 * Belgian structured communication ("gestructureerde mededeling", OGM): 10 digits of base and 2 check
 * digits, written +++123/4567/89002+++. The check is the base modulo 97, with 97 instead of 0.
 */

const BASE_LIMIT = 10n ** 10n;
const FORMAT = /^\+\+\+(\d{3})\/(\d{4})\/(\d{5})\+\+\+$/;

/** An advance or balance paid to the applicant, or an amount the applicant pays back (recovery). */
export type PaymentKind = 'advance' | 'balance' | 'recovery';

const KIND_DIGIT: Record<PaymentKind, bigint> = { advance: 1n, balance: 2n, recovery: 3n };

function toBase(base: number | bigint | string): bigint {
  if (typeof base === 'bigint') return base;
  if (typeof base === 'number') {
    if (!Number.isSafeInteger(base)) throw new RangeError(`a structured communication base must be a whole number, got ${base}`);
    return BigInt(base);
  }
  if (!/^\d{1,10}$/.test(base)) throw new RangeError(`a structured communication base must be 1 to 10 digits, got "${base}"`);
  return BigInt(base);
}

function checkDigits(base: bigint): bigint {
  const remainder = base % 97n;
  return remainder === 0n ? 97n : remainder;
}

/** "+++000/0000/00101+++" for base 1: the base zero-padded to 10 digits, then its two check digits. */
export function structuredCommunication(base: number | bigint | string): string {
  const value = toBase(base);
  if (value < 0n || value >= BASE_LIMIT) throw new RangeError(`a structured communication base must be 0 to 9999999999, got ${value}`);
  const digits = value.toString().padStart(10, '0') + checkDigits(value).toString().padStart(2, '0');
  return `+++${digits.slice(0, 3)}/${digits.slice(3, 7)}/${digits.slice(7)}+++`;
}

/** Whether the text is exactly a structured communication (+++ddd/dddd/ddddd+++) with matching check digits. */
export function isStructuredCommunication(text: string): boolean {
  const match = FORMAT.exec(text);
  if (!match) return false;
  const digits = match.slice(1).join('');
  return checkDigits(BigInt(digits.slice(0, 10))) === BigInt(digits.slice(10));
}

function assertFits(value: number, min: number, max: number, label: string): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${label} must be a whole number from ${min} to ${max} to fit a payment reference, got ${value}`);
  }
}

/**
 * The structured communication of a payment to an applicant, the same every time for the same payment.
 * Base layout (10 digits): PP project year of the call (1–99), 1 kind digit (1 advance, 2 balance, 3 recovery),
 * AAAAAAA applicant id (1–9999999, zero-padded). Example: project year 2, applicant 42, advance → base 0210000042.
 */
export function paymentReference(projectYear: number, applicantId: number, kind: PaymentKind): string {
  assertFits(projectYear, 1, 99, 'the project year');
  assertFits(applicantId, 1, 9_999_999, 'the applicant id');
  if (!Object.hasOwn(KIND_DIGIT, kind)) throw new RangeError(`unknown payment kind "${String(kind)}"`);
  return structuredCommunication(BigInt(projectYear) * 100_000_000n + KIND_DIGIT[kind] * 10_000_000n + BigInt(applicantId));
}

/**
 * The bank's plain form of a structured communication: its 12 digits, without +++ or slashes ("+++031/0000/00230+++" →
 * "031000000230"), as a SEPA file's creditor reference (issuer BBA) and the spreadsheet's column for bank tools carry it.
 */
export function plainReference(communication: string): string {
  if (!isStructuredCommunication(communication)) throw new RangeError(`not a structured communication: "${communication}"`);
  return communication.replace(/\D/g, '');
}
