import { ConflictException, NotFoundException, UnprocessableEntityException } from '@nestjs/common';

/** A refusal tied to form fields: 422 with { errors: { field: [message] } }, rendered next to each field on pages. */
export class FieldErrors extends UnprocessableEntityException {
  constructor(readonly fields: Record<string, string[]>) {
    super({ statusCode: 422, message: 'Ongeldige invoer', errors: fields });
  }
}

/** A version as a client sent it (form or JSON): a whole number in PostgreSQL's integer range, or a 422 on "version". */
export function checkedVersion(version: unknown, field = 'version'): number {
  const value = typeof version === 'string' && /^\d{1,10}$/.test(version.trim()) ? Number(version) : version;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2_147_483_647) {
    throw new FieldErrors({ [field]: ['Deze versie klopt niet. Laad de pagina opnieuw en probeer nog eens.'] });
  }
  return value;
}

export class StaleVersion extends ConflictException {
  constructor(what: string) {
    super({ statusCode: 409, message: `${what} is intussen door iemand anders gewijzigd. Laad de pagina opnieuw en probeer nog eens.` });
  }
}

export class NotFound extends NotFoundException {
  constructor() {
    super({ statusCode: 404, message: 'Niet gevonden.' });
  }
}
