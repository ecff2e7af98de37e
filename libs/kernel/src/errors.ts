/**
 * Refusals: the reasons a use case says no. They know nothing of HTTP; the platform's one
 * exception filter maps each code to a status (`apps/platform/src/refusal-status.ts`) and pages
 * map them onto form fields (`web/forms.ts`). Choose the class, never a status or a message text.
 */
export type RefusalCode = 'not_found' | 'not_permitted' | 'conflict' | 'stale_version' | 'invalid_input' | 'invalid_request' | 'busy' | 'unavailable';

export type FieldMessages = Record<string, string[]>;

export abstract class Refusal extends Error {
  abstract readonly code: RefusalCode;
  /**
   * @param fields per-field messages, shown next to each form field and returned as `errors`
   * @param details extra facts for API clients (for example the cooperation that already holds a member)
   */
  constructor(
    message: string,
    readonly fields: FieldMessages = {},
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The record does not exist, or the actor may not know that it does. */
export class NotFound extends Refusal {
  readonly code = 'not_found';
  constructor(message = 'Niet gevonden.') {
    super(message);
  }
}

/** The actor's role or organisation does not allow this. */
export class NotPermitted extends Refusal {
  readonly code = 'not_permitted';
}

/** The record's state does not allow this now (submitted, frozen, taken, already decided). */
export class Conflict extends Refusal {
  readonly code: RefusalCode = 'conflict';
}

/** Someone else changed the record since the client loaded it. */
export class StaleVersion extends Conflict {
  override readonly code = 'stale_version';
  constructor(what: string) {
    super(`${what} is intussen door iemand anders gewijzigd. Laad de pagina opnieuw en probeer nog eens.`);
  }
}

/** The input breaks a rule; every message belongs to a field. */
export class FieldErrors extends Refusal {
  readonly code = 'invalid_input';
  constructor(fields: FieldMessages) {
    super('Ongeldige invoer', fields);
  }
}

/** The request as a whole cannot be used (an expired link, a malformed token). */
export class InvalidRequest extends Refusal {
  readonly code = 'invalid_request';
}

/** Too many attempts or too much load right now; the client may try again after a pause. */
export class Busy extends Refusal {
  readonly code = 'busy';
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** A part the platform needs (the database) cannot answer right now. */
export class Unavailable extends Refusal {
  readonly code = 'unavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** A version as a client sent it (form or JSON): a whole number in PostgreSQL's integer range, or a refusal on "version". */
export function checkedVersion(version: unknown, field = 'version'): number {
  const value = typeof version === 'string' && /^\d{1,10}$/.test(version.trim()) ? Number(version) : version;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2_147_483_647) {
    throw new FieldErrors({ [field]: ['Deze versie klopt niet. Laad de pagina opnieuw en probeer nog eens.'] });
  }
  return value;
}
