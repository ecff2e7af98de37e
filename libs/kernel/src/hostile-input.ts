/**
 * The rules every request passes before any code reads it: no invalid characters in any text, no deep nesting.
 *
 * The text rule: a text is refused when it holds a C0 control character other than tab, line feed and carriage return,
 * DEL, or a lone UTF-16 surrogate (a high one not followed by a low one, or a low one without a high one before it:
 * "\ud800", "\udc00", "\udc00\ud800"). None of these is text a person types; PostgreSQL cannot store NUL, UTF-8 cannot
 * encode a lone surrogate (the json type refuses its escape) and encodeURIComponent throws on it.
 */

export const INVALID_CHARACTERS = 'Dit veld bevat ongeldige tekens.';
export const MAX_NESTING = 32;

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a text breaks the text rule above. */
export const hasInvalidCharacters = (text: string): boolean => INVALID.test(text);

/**
 * The paths ("lines.0.comment") of every string, and every key, that break the text rule; walked
 * without recursion so a hostile document cannot exhaust the stack. Stops after a few hits.
 */
export function fieldsWithInvalidCharacters(value: unknown, limit = 20): string[] {
  const found: string[] = [];
  const pending: [unknown, string][] = [[value, '']];
  while (pending.length > 0 && found.length < limit) {
    const [item, path] = pending.pop()!;
    if (typeof item === 'string') {
      if (hasInvalidCharacters(item)) found.push(path);
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        const childPath = path ? `${path}.${key}` : key;
        if (hasInvalidCharacters(key)) found.push(childPath);
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
