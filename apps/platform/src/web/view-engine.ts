import { readdirSync, readFileSync } from 'node:fs';
import { NestExpressApplication } from '@nestjs/platform-express';
import * as hbs from 'hbs';
import { roundLabel, RoundName } from '@ps/allocation';
import { typedContribution } from '@ps/applications';
import { fromRoot } from '@ps/kernel';
import { registerFormatHelpers } from '../documents/format-helpers';
import { translate } from './i18n';

interface FormRoot {
  submitted?: Record<string, Record<string, unknown> | undefined>;
  applicant?: { contact: { name: string | null; email: string | null; phone: string | null } };
  ibanFormatted?: string | null;
}

/** One Handlebars environment with the platform's partials and helpers, for the pages (printable documents: ../documents). */
export const handlebars = createHandlebars();

/** Server-rendered Dutch pages: Handlebars views in apps/platform/views with a few helpers. */
export function configureViews(app: NestExpressApplication): void {
  app.engine('hbs', handlebars.__express);
  app.setBaseViewsDir(fromRoot('apps', 'platform', 'views'));
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layout' });
}

function createHandlebars() {
  const handlebars = hbs.create();
  const partials = fromRoot('apps', 'platform', 'views', 'partials');
  for (const file of readdirSync(partials).filter((name) => name.endsWith('.hbs'))) {
    handlebars.registerPartial(file.replace(/\.hbs$/, ''), readFileSync(`${partials}/${file}`, 'utf8'));
  }
  handlebars.registerHelper('t', (key: string, options: { hash: Record<string, unknown> }) => translate(key, options.hash));
  registerFormatHelpers(handlebars);
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  handlebars.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  handlebars.registerHelper('array', (...args: unknown[]) => args.slice(0, -1));
  handlebars.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  handlebars.registerHelper(
    'statusClass',
    (status: string) => ({ 'eligible-alone': 'govuk-tag--green', cooperation: 'govuk-tag--blue', 'not-covered': 'govuk-tag--grey' })[status] ?? '',
  );
  /** What the user typed in a form that was refused, else the stored value (for the applicant's contact form). */
  handlebars.registerHelper('formValue', (root: FormRoot, form: string, field: string) => {
    const submitted = root.submitted?.[form];
    if (submitted && field in submitted) return submitted[field];
    const contact = root.applicant?.contact;
    const stored: Record<string, unknown> = {
      contactName: contact?.name,
      contactEmail: contact?.email,
      contactPhone: contact?.phone,
      payoutIban: root.ibanFormatted,
    };
    return form === 'contact' ? (stored[field] ?? '') : '';
  });
  /** A refused form shows what was typed; otherwise the stored value. */
  handlebars.registerHelper('typed', (root: FormRoot, name: string, stored: unknown) => {
    const submitted = root.submitted as Record<string, unknown> | undefined;
    return submitted && name in submitted ? submitted[name] : stored;
  });
  /** A line's contribution: of what was typed in a refused form (null: no valid number), else the stored one. */
  handlebars.registerHelper(
    'shownContribution',
    (root: FormRoot, line: { id: number; maxQuantity: number; unitAmountCents: number; contributionCents: number }) => {
      const submitted = root.submitted as Record<string, unknown> | undefined;
      const name = `planned-${line.id}`;
      return submitted && name in submitted ? typedContribution(submitted[name], line) : line.contributionCents;
    },
  );
  handlebars.registerHelper('includes', (list: unknown, value: unknown) => Array.isArray(list) && list.map(String).includes(String(value)));
  handlebars.registerHelper('kindLabel', (kind: string) => translate(`applicants.kinds.${kind}`));
  handlebars.registerHelper(
    'applicationStatusClass',
    (status: string) =>
      ({
        concept: 'govuk-tag--grey',
        ingediend: 'govuk-tag--blue',
        'in-behandeling': 'govuk-tag--light-blue',
        goedgekeurd: 'govuk-tag--green',
        afgewezen: 'govuk-tag--red',
        'terug-naar-aanvrager': 'govuk-tag--orange',
      })[status] ?? '',
  );
  handlebars.registerHelper('statusLabel', (status: string) => translate(`applications.statuses.${status}`));
  handlebars.registerHelper('roundName', (round: RoundName) => roundLabel(round));
  return handlebars;
}
