import { readFileSync } from 'node:fs';
import * as hbs from 'hbs';
import { fromRoot } from '@ps/kernel';
import { registerFormatHelpers } from './format-helpers';

/** Printable documents (no page layout, no forms): their own Handlebars environment with the formatting helpers only. */
const documents = hbs.create();
registerFormatHelpers(documents);

/** Each template compiled once per process (compiling a decision letter's was most of its answer's time). */
const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** Renders a standalone template from apps/platform/views/documents, e.g. a decision letter. */
export function renderDocument(name: string, data: object): string {
  let template = compiled.get(name);
  if (!template) {
    template = documents.handlebars.compile(readFileSync(fromRoot('apps', 'platform', 'views', 'documents', `${name}.hbs`), 'utf8'));
    compiled.set(name, template);
  }
  return template(data);
}
