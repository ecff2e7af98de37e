import * as hbs from 'hbs';
import { DateTime } from 'luxon';
import { BRUSSELS } from '@ps/kernel';
import { ReportKind } from '../report.dto';
import { REPORT_KIND_NL } from '../reporting-rules';
import { ReminderStage } from './reminder-schedule';

/**
 * The reminder mails, in Dutch. Plain text (like every mail of the platform: the outbox stores and shows text),
 * so the templates are compiled with `noEscape`: an applicant called "Sint-Niklaas & co" stays exactly that instead
 * of "Sint-Niklaas &amp; co". The outbox page escapes the body when it shows it; SMTP sends it as text/plain.
 * Kept here rather than in .hbs files: Prettier would reflow a plain-text .hbs file as if it were HTML.
 */
const SUBJECT = `{{#if today}}Vandaag{{else}}Herinnering{{/if}}: {{kindNl}} Plan Samenleven uiterlijk {{dueDate}}`;

const BODY = `Beste collega,

Het {{kindNl}} van {{applicantName}} voor {{callName}} is nog niet ingediend.
{{#if today}}
Vandaag is de laatste dag: dien het rapport uiterlijk om {{dueTime}} in.
{{else}}
Dien het rapport uiterlijk op {{dueMoment}} in ({{daysLeftNl}}).
{{/if}}

Vul het rapport aan en dien het in via:
{{link}}

Diende u het intussen in, dan mag u deze herinnering negeren.

Met vriendelijke groet,
Agentschap Binnenlands Bestuur
`;

const mails = hbs.create().handlebars;
const subjectTemplate = mails.compile(SUBJECT, { noEscape: true, strict: true });
const bodyTemplate = mails.compile(BODY, { noEscape: true, strict: true });

export interface ReminderFacts {
  applicationId: number;
  applicantNameNl: string;
  callNameNl: string;
  kind: ReportKind;
  dueAt: Date;
  stage: ReminderStage;
  daysLeft: number;
  /** The platform's public address, without a trailing slash. */
  publicUrl: string;
}

/** The page of the report, where the officer fills it in and submits it. */
export function reportLink(publicUrl: string, applicationId: number, kind: ReportKind): string {
  return `${publicUrl}/aanvragen/${applicationId}/rapporten/${kind}`;
}

/** Subject and text of one reminder. */
export function reminderMail(facts: ReminderFacts): { subject: string; text: string } {
  const due = DateTime.fromJSDate(facts.dueAt, { zone: BRUSSELS }).setLocale('nl-BE');
  const data = {
    today: facts.stage === 0,
    kindNl: REPORT_KIND_NL[facts.kind],
    applicantName: oneLine(facts.applicantNameNl),
    callName: oneLine(facts.callNameNl),
    dueDate: due.toFormat('d LLLL yyyy'),
    dueMoment: due.toFormat("d LLLL yyyy 'om' HH:mm"),
    dueTime: due.toFormat('HH:mm'),
    daysLeftNl: facts.daysLeft === 1 ? 'nog 1 dag' : `nog ${facts.daysLeft} dagen`,
    link: reportLink(facts.publicUrl, facts.applicationId, facts.kind),
  };
  return { subject: oneLine(subjectTemplate(data)), text: bodyTemplate(data) };
}

/** Names are shown on one line: no line breaks (or header injection) from stored text. */
function oneLine(text: string): string {
  return text.replace(/[\s\p{Cc}]+/gu, ' ').trim();
}
