/**
 * Personal data: what the platform holds about natural persons other than the reader. The one list of its fields and
 * the permission that shows them (docs/security.md, "Personal data"). Roles without that permission get every read
 * model, page, export and history entry with these fields null (same keys, so clients and pages keep their shape), and
 * documents that carry them (the payout account's confirmation letter) are refused.
 */

/** The permission that shows personal data; a role without it sees the fields below as null. */
export const PERSONAL_DATA_PERMISSION = 'audit:read-personal';

/**
 * The fields that hold personal data, by name wherever they appear in a response, a page's data or a history entry
 * (`parent.field` names a field only inside that parent). An object-valued field (an applicant's `contact`) keeps its
 * keys with every value null.
 */
export const PERSONAL_FIELDS: readonly string[] = [
  // An applicant's contact person and payout account: { name, email, phone, iban }; in history entries too.
  'contact',
  // A partner's contact person.
  'contactName',
  'contactEmail',
  'contactPhone',
  // Payout accounts (a person may hold them) and their holder.
  'payoutIban',
  'confirmedPayoutIban',
  'iban',
  'accountHolder',
  // Who did something: "name <e-mail>" of a user (history entries, allocation runs, settlements).
  'actorLabel',
  'createdBy',
  'publishedBy',
  'proposedBy',
  'decidedBy',
  'approvedBy',
  'releasedBy',
  'settled.by',
  'settledBy',
  'recordedBy',
  'reviewedBy',
  'uploadedBy',
  'userLabel',
  // Users as records.
  'email',
  'displayName',
];

const FIELDS = new Set(PERSONAL_FIELDS);

/** Whether a field (inside `parent`, when it has one) holds personal data. */
export function isPersonalField(field: string, parent?: string): boolean {
  return FIELDS.has(field) || (parent !== undefined && FIELDS.has(`${parent}.${field}`));
}

/**
 * A copy of `value` with every personal field's value null (an object-valued one keeps its keys, each null); dates,
 * buffers and other values are kept as they are. Pure: `value` is not changed.
 */
export function withoutPersonalData<T>(value: T): T {
  return redact(value, undefined) as T;
}

function redact(value: unknown, parent: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => redact(item, parent));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, isPersonalField(key, parent) ? blank(item) : redact(item, key)]));
}

function blank(value: unknown): unknown {
  if (isPlainObject(value)) return Object.fromEntries(Object.keys(value).map((key) => [key, blank(value[key])]));
  return null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
