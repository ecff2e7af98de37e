import { ConflictException, NotFoundException, UnprocessableEntityException } from '@nestjs/common';

/** A refusal tied to form fields: 422 with { errors: { field: [message] } }, rendered next to each field on pages. */
export class FieldErrors extends UnprocessableEntityException {
  constructor(readonly fields: Record<string, string[]>) {
    super({ statusCode: 422, message: 'Ongeldige invoer', errors: fields });
  }
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
