/** The rules every request passes before any code reads it: no control characters, no deep nesting. */

export const INVALID_CHARACTERS = 'Dit veld bevat ongeldige tekens.';
export const MAX_NESTING = 32;

// C0 controls except tab, line feed and carriage return; DEL. PostgreSQL cannot even store NUL in text.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export const hasControlCharacters = (text: string): boolean => CONTROL.test(text);

/**
 * The paths ("lines.0.comment") of every string, and every key, with control characters; walked
 * without recursion so a hostile document cannot exhaust the stack. Stops after a few hits.
 */
export function fieldsWithControlCharacters(value: unknown, limit = 20): string[] {
  const found: string[] = [];
  const pending: [unknown, string][] = [[value, '']];
  while (pending.length > 0 && found.length < limit) {
    const [item, path] = pending.pop()!;
    if (typeof item === 'string') {
      if (hasControlCharacters(item)) found.push(path);
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        const childPath = path ? `${path}.${key}` : key;
        if (hasControlCharacters(key)) found.push(childPath);
        else pending.push([child, childPath]);
      }
    }
  }
  return found;
}

/** Whether arrays and objects nest deeper than max levels (the top-level value is level 1). */
export function nestedDeeperThan(value: unknown, max = MAX_NESTING): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}
