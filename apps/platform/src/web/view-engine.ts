import { readdirSync, readFileSync } from 'node:fs';
import { NestExpressApplication } from '@nestjs/platform-express';
import * as hbs from 'hbs';
import { formatEuro, fromRoot } from '@ps/kernel';
import { translate } from './i18n';

const numberFormat = new Intl.NumberFormat('nl-BE');

/** Server-rendered Dutch pages: Handlebars views in apps/platform/views with a few helpers. */
export function configureViews(app: NestExpressApplication): void {
  const handlebars = hbs.create();
  const partials = fromRoot('apps', 'platform', 'views', 'partials');
  for (const file of readdirSync(partials).filter((name) => name.endsWith('.hbs'))) {
    handlebars.registerPartial(file.replace(/\.hbs$/, ''), readFileSync(`${partials}/${file}`, 'utf8'));
  }
  handlebars.registerHelper('t', (key: string, options: { hash: Record<string, unknown> }) => translate(key, options.hash));
  handlebars.registerHelper('euro', (cents: number) => formatEuro(cents));
  handlebars.registerHelper('number', (value: number | null) => (value === null || value === undefined ? '' : numberFormat.format(value)));
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  handlebars.registerHelper('kindLabel', (kind: string) => translate(`applicants.kinds.${kind}`));
  app.engine('hbs', handlebars.__express);
  app.setBaseViewsDir(fromRoot('apps', 'platform', 'views'));
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layout' });
}
