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

const FIELDS = new Set(PERSONAL_FIELDS.filter((field) => !field.includes('.')));
/** The `parent.field` names, by parent. */
const FIELDS_IN: ReadonlyMap<string, ReadonlySet<string>> = PERSONAL_FIELDS.filter((field) => field.includes('.')).reduce((byParent, name) => {
  const [parent, field] = name.split('.');
  return byParent.set(parent, new Set([...(byParent.get(parent) ?? []), field]));
}, new Map<string, Set<string>>());

/** Whether a field (inside `parent`, when it has one) holds personal data. */
export function isPersonalField(field: string, parent?: string): boolean {
  return FIELDS.has(field) || (parent !== undefined && FIELDS_IN.get(parent)?.has(field) === true);
}

/**
 * A copy of `value` with every personal field's value null (an object-valued one keeps its keys, each null); dates,
 * buffers and other values are kept as they are. Pure: `value` is not changed.
 */
export function withoutPersonalData<T>(value: T): T {
  return redact(value, undefined) as T;
}

// Written as loops: a page of an allocation run (50 shares with their lines) is redacted on every request of a role
// that may not see personal data, and the entries and arrays of Object.fromEntries made that 12 ms of its 35.
function redact(value: unknown, parent: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => redact(item, parent));
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setOwn(copy, key, isPersonalField(key, parent) ? blank(value[key]) : redact(value[key], key));
  return copy;
}

function blank(value: unknown): unknown {
  if (!isPlainObject(value)) return null;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setOwn(copy, key, blank(value[key]));
  return copy;
}

/** `object[key] = item` as an own property, also for a key named "__proto__" (parsed JSON may have one). */
function setOwn(object: Record<string, unknown>, key: string, item: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value: item, enumerable: true, writable: true, configurable: true });
  else object[key] = item;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
