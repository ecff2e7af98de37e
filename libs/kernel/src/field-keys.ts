/**
 * One key per field, whatever refuses it. The business rules, their "incomplete" lists and the pages name a field by its
 * page name ("mentorship-motivation", "planned-12"); class-validator names it by its path in the DTO
 * ("mentorship.motivation", "lines.3.plannedReach"). A DTO whose fields are named otherwise declares the mapping next to
 * itself with @FieldKeys, and every refusal (the API's validation pipe, the pages' forms) goes through fieldKeyOf.
 *
 * A declaration maps a DTO path, with `*` for a list index, to a key; `{name}` in the key is that property of the list
 * item ("planned-{kpiLineId}"). A path without a declaration of its own takes its nearest declared parent's key ("lines.3"
 * for "lines.3.unknownField"); when an item's id is unusable (not a whole number), the list's own key. A DTO without a
 * declaration names its fields by their paths, which for a flat DTO are the rules' keys.
 */

export type FieldKeyMap = Readonly<Record<string, string>>;

const DECLARED = new WeakMap<object, FieldKeyMap>();

/** Declares the field keys of a DTO class (see above). */
export function FieldKeys(keys: FieldKeyMap): ClassDecorator {
  return (target) => void DECLARED.set(target, keys);
}

/** The declaration of a class or of the nearest class it extends. */
export function declaredFieldKeys(dto: object | null | undefined): FieldKeyMap | undefined {
  for (let type = dto; type && type !== Function.prototype; type = Object.getPrototypeOf(type) as object) {
    const keys = DECLARED.get(type);
    if (keys) return keys;
  }
  return undefined;
}

const PLACEHOLDER = /\{(\w+)\}/g;
const usableId = (value: unknown): string | null =>
  (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) || (typeof value === 'string' && /^\d{1,10}$/.test(value)) ? String(value) : null;

/** The key of the field at `path` ("lines.3.plannedReach") of a DTO instance `root` (as validated, with its values). */
export function fieldKeyOf(root: unknown, path: string): string {
  const keys = root !== null && typeof root === 'object' ? declaredFieldKeys(root.constructor) : undefined;
  if (!keys) return path;
  const segments = path.split('.');
  let declared = false;
  for (let length = segments.length; length > 0; length--) {
    const prefix = segments.slice(0, length);
    const template = keys[prefix.map((segment) => (/^\d+$/.test(segment) ? '*' : segment)).join('.')];
    if (template === undefined) continue;
    declared = true;
    let lastIndex = prefix.length - 1;
    while (lastIndex >= 0 && !/^\d+$/.test(prefix[lastIndex])) lastIndex--;
    const item = lastIndex < 0 ? root : valueAt(root, prefix.slice(0, lastIndex + 1));
    let usable = true;
    const key = template.replace(PLACEHOLDER, (_, name: string) => {
      const id = usableId(item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[name] : undefined);
      if (id === null) usable = false;
      return id ?? '';
    });
    if (usable) return key;
  }
  return declared ? (keys[segments[0]] ?? segments[0]) : path;
}

function valueAt(root: unknown, segments: string[]): unknown {
  let value = root;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
