import { ValidationError } from '@nestjs/common';
import { dutchConstraintMessages, fieldKeyOf } from '@ps/kernel';

/**
 * Per-field messages: { errors: { field: ["message", …] } }, with 422. Each field under its one key (fieldKeyOf: the key
 * the rules and the pages use), found from the validated DTO instance, the errors' target.
 */
export function validationErrors(errors: ValidationError[], root: unknown = errors[0]?.target): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  const collect = (found: ValidationError[], prefix: string) => {
    for (const error of found) {
      const path = prefix + error.property;
      if (error.constraints) {
        const key = fieldKeyOf(root, path);
        fields[key] = [...new Set([...(fields[key] ?? []), ...dutchConstraintMessages(error.property, error.constraints)])];
      }
      collect(error.children ?? [], `${path}.`);
    }
  };
  collect(errors, '');
  return fields;
}
