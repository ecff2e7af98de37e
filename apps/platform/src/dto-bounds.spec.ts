import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import * as applicantDtos from '@ps/applicants';
import * as identityDtos from '@ps/identity';
import * as account from './api/account.api.controller';
import * as applicants from './api/applicants.api.controller';
import * as applications from './api/applications.api.controller';
import * as catalogue from './api/catalogue.api.controller';
import * as organisations from './api/organisations.api.controller';
import * as params from './api/params';
import * as records from './api/records.api.controller';
import * as users from './api/users.api.controller';

// Loaded for their decorators: every class with validation rules registers in class-validator's storage.
void [applicantDtos, identityDtos, account, applicants, applications, catalogue, organisations, params, records, users];

const NUMERIC = ['isInt', 'isNumber', 'min', 'isPositive'];
const TEXT = ['isString', 'isEmail', 'matches', 'isIban', 'isPhone', 'isKbo'];
const BOUNDED_TEXT = ['maxLength', 'isLength', 'isIn'];

/** Every validated property of every class, as "Class.property" → the names of its constraints. */
function constraintsByProperty(): Map<string, Set<string>> {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<{ name: string }, ValidationMetadata[]> };
  const result = new Map<string, Set<string>>();
  for (const [target, metadatas] of storage.validationMetadatas) {
    if (target.name === 'PlatformConfig') continue; // the environment, not request input
    for (const metadata of metadatas) {
      const key = `${target.name}.${metadata.propertyName}`;
      const name = metadata.name ?? metadata.type;
      result.set(key, (result.get(key) ?? new Set()).add(name));
    }
  }
  return result;
}

describe('every DTO bounds its input', () => {
  const properties = constraintsByProperty();

  it('finds the DTOs of the API and the forms', () => {
    expect(properties.size).toBeGreaterThan(80);
    expect([...(properties.get('EvaluationDto.interimRealised') ?? [])]).toEqual(expect.arrayContaining(['isInt', 'max']));
  });

  it('gives every number a maximum', () => {
    const unbounded = [...properties].filter(([, names]) => NUMERIC.some((n) => names.has(n)) && !names.has('max')).map(([key]) => key);
    expect(unbounded).toEqual([]);
  });

  it('gives every text a maximum length', () => {
    const unbounded = [...properties].filter(([, names]) => TEXT.some((n) => names.has(n)) && !BOUNDED_TEXT.some((n) => names.has(n))).map(([key]) => key);
    expect(unbounded).toEqual([]);
  });

  it('gives every list a maximum size', () => {
    const unbounded = [...properties].filter(([, names]) => names.has('isArray') && !names.has('arrayMaxSize')).map(([key]) => key);
    expect(unbounded).toEqual([]);
  });
});
