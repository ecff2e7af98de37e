import { ValidateBy, ValidationOptions } from 'class-validator';
import { hasInvalidCharacters, INVALID_CHARACTERS } from './hostile-input';
import { normaliseIban, normaliseKbo, normalisePhone } from './identifiers';

/** class-validator decorators for the identifiers, so a form reports every bad field in one round. */
const check = (name: string, test: (text: string) => unknown, message: string) => (options?: ValidationOptions) =>
  ValidateBy({ name, validator: { validate: (value: unknown) => typeof value === 'string' && !!test(value), defaultMessage: () => message } }, options);

export const IsIban = check('isIban', normaliseIban, 'Dit IBAN klopt niet: controleer het land, de lengte en de controlecijfers, zoals BE68 5390 0754 7034.');
export const IsPhone = check('isPhone', normalisePhone, 'Vul een geldig telefoonnummer in, zoals 09 266 55 00 of +32 470 12 34 56.');
export const IsKbo = check('isKbo', normaliseKbo, 'Dit KBO-nummer klopt niet: 10 cijfers met een geldig controlegetal, zoals 0207.437.468.');

/**
 * The text rule (hostile-input.ts) for text that does not arrive in a request body or query, such as the cells of an
 * uploaded workbook; a value that is no string is left to the type check.
 */
export const IsValidText = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isValidText',
      validator: { validate: (value: unknown) => typeof value !== 'string' || !hasInvalidCharacters(value), defaultMessage: () => INVALID_CHARACTERS },
    },
    options,
  );
