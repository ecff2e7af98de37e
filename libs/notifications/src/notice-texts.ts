import { Cents, formatBrussels, formatEuro } from '@ps/kernel';

/** A notice's subject and plain Dutch text; the link (a path of the platform) goes under the text and in "Berichten". */
export interface NoticeText {
  subject: string;
  text: string;
  link: string;
}

/** What every notice about an application names: the local government (the applicant) and the call. */
export interface ApplicationRef {
  applicationId: number;
  applicantNameNl: string;
  callNameNl: string;
}

const SIGNATURE = '\n\nAgentschap Binnenlands Bestuur\nPlan Samenleven';

/** The application's reference as it appears in notices and receipts, e.g. "PS-2026-00042". */
export const applicationReference = (callYear: number, applicationId: number): string => `PS-${callYear}-${String(applicationId).padStart(5, '0')}`;

function compose(subject: string, lines: string[], link: string, publicUrl: string): NoticeText {
  return { subject, text: `${lines.join('\n')}\n\nBekijk het in Plan Samenleven: ${publicUrl}${link}${SIGNATURE}`, link };
}

export function invitationText(input: { leadNameNl: string; applicantNameNl: string; invitedNameNl: string; applicantId: number }, publicUrl: string) {
  return compose(
    `Uitnodiging: ${input.invitedNameNl} gevraagd voor de samenwerking ${input.applicantNameNl}`,
    [
      `Beste,`,
      ``,
      `${input.leadNameNl} nodigt ${input.invitedNameNl} uit om deel te nemen aan de samenwerking "${input.applicantNameNl}" voor Plan Samenleven.`,
      `Aanvaard of weiger de uitnodiging in het platform.`,
    ],
    `/aanvragers/${input.applicantId}`,
    publicUrl,
  );
}

export function invitationAnswerText(
  input: { applicantNameNl: string; invitedNameNl: string; accepted: boolean; applicantId: number },
  publicUrl: string,
): NoticeText {
  const verb = input.accepted ? 'neemt deel aan' : 'weigert deel te nemen aan';
  return compose(
    `${input.invitedNameNl} ${verb} de samenwerking ${input.applicantNameNl}`,
    [`Beste,`, ``, `${input.invitedNameNl} ${verb} de samenwerking "${input.applicantNameNl}".`],
    `/aanvragers/${input.applicantId}`,
    publicUrl,
  );
}

export function submissionReceiptText(
  input: ApplicationRef & { reference: string; submittedAt: Date; digest: string; resubmission: boolean },
  publicUrl: string,
): NoticeText {
  return compose(
    `Ontvangen: aanvraag ${input.reference} van ${input.applicantNameNl}`,
    [
      `Beste,`,
      ``,
      `Het Agentschap Binnenlands Bestuur ontving de ${input.resubmission ? 'opnieuw ingediende ' : ''}aanvraag van ${input.applicantNameNl} voor ${input.callNameNl}.`,
      ``,
      `Referentie: ${input.reference}`,
      `Ontvangen op: ${formatBrussels(input.submittedAt)} (Brusselse tijd)`,
      `Vingerafdruk (SHA-256) van wat werd ingediend: ${input.digest}`,
      ``,
      `Bewaar dit bericht: het bewijst dat en wanneer de aanvraag werd ingediend.`,
    ],
    `/aanvragen/${input.applicationId}`,
    publicUrl,
  );
}

export function returnedText(input: ApplicationRef & { general: string | null; perLine: { label: string; comment: string }[] }, publicUrl: string) {
  const comments = [...(input.general ? [input.general] : []), ...input.perLine.map((c) => `- ${c.label}: ${c.comment}`)];
  return compose(
    `Terug voor aanpassing: aanvraag van ${input.applicantNameNl}`,
    [
      `Beste,`,
      ``,
      `De beoordelaar stuurt de aanvraag van ${input.applicantNameNl} voor ${input.callNameNl} terug om aan te passen. Pas ze aan en dien ze opnieuw in.`,
      ``,
      `Opmerkingen:`,
      ...comments,
    ],
    `/aanvragen/${input.applicationId}`,
    publicUrl,
  );
}

export function approvalText(input: ApplicationRef & { confirmedTotalCents: Cents | null }, publicUrl: string): NoticeText {
  return compose(
    `Goedgekeurd: aanvraag van ${input.applicantNameNl}`,
    [
      `Beste,`,
      ``,
      `De aanvraag van ${input.applicantNameNl} voor ${input.callNameNl} is goedgekeurd${input.confirmedTotalCents === null ? '' : `, voor ${formatEuro(input.confirmedTotalCents)}`}.`,
      `Het bedrag dat u ontvangt, volgt bij de verdeling van het budget. De beslissingsbrief staat in het platform: ${publicUrl}/aanvragen/${input.applicationId}/beslissingsbrief`,
    ],
    `/aanvragen/${input.applicationId}`,
    publicUrl,
  );
}

export function windowText(input: ApplicationRef & { until: Date; reason: string; reopened: boolean }, publicUrl: string): NoticeText {
  return compose(
    `${input.reopened ? 'Heropend' : 'Termijn verlengd'}: aanvraag van ${input.applicantNameNl}`,
    [
      `Beste,`,
      ``,
      input.reopened
        ? `Het Agentschap Binnenlands Bestuur heeft de aanvraag van ${input.applicantNameNl} voor ${input.callNameNl} heropend.`
        : `Het Agentschap Binnenlands Bestuur verlengt de termijn voor de aanvraag van ${input.applicantNameNl} voor ${input.callNameNl}.`,
      `U kunt ze (opnieuw) indienen tot ${formatBrussels(input.until)} (Brusselse tijd).`,
      `Reden: ${input.reason}`,
    ],
    `/aanvragen/${input.applicationId}`,
    publicUrl,
  );
}
