import { readFileSync } from 'node:fs';
import * as hbs from 'hbs';
import { fromRoot } from '@ps/kernel';
import { registerFormatHelpers } from './format-helpers';

/** Printable documents (no page layout, no forms): their own Handlebars environment with the formatting helpers only. */
const documents = hbs.create();
registerFormatHelpers(documents);

/** Renders a standalone template from apps/platform/views/documents, e.g. a decision letter. */
export function renderDocument(name: string, data: object): string {
  const template = documents.handlebars.compile(readFileSync(fromRoot('apps', 'platform', 'views', 'documents', `${name}.hbs`), 'utf8'));
  return template(data);
}
