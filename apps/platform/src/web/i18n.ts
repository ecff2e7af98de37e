import { readFileSync } from 'node:fs';
import { fromRoot } from '@ps/kernel';

type Messages = { [key: string]: string | Messages };

const catalogues = new Map<string, Messages>();

function messages(language: string): Messages {
  let found = catalogues.get(language);
  if (!found) {
    found = JSON.parse(readFileSync(fromRoot('apps', 'platform', 'i18n', `${language}.json`), 'utf8')) as Messages;
    catalogues.set(language, found);
  }
  return found;
}

/** The text for a dotted key, with {name} placeholders filled in. User-facing text lives in i18n/<language>.json. */
export function translate(key: string, params: Record<string, unknown> = {}, language = 'nl', fallback?: string): string {
  const text = key.split('.').reduce<string | Messages | undefined>((node, part) => (typeof node === 'object' ? node[part] : undefined), messages(language));
  if (typeof text !== 'string') {
    if (fallback !== undefined) return fallback;
    throw new Error(`missing text "${key}" for language ${language}`);
  }
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
