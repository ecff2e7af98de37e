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

/** What notices about an applicant's money name: the applicant, the call and the application (the page it links to). */
export interface ShareRef {
  applicationId: number;
  applicantNameNl: string;
  callNameNl: string;
}

export function allocationPublishedText(
  input: ShareRef & { allocatedCents: Cents; advanceCents: Cents; advancePercent: number },
  publicUrl: string,
): NoticeText {
  return compose(
    `Verdeling gepubliceerd: ${formatEuro(input.allocatedCents)} voor ${input.applicantNameNl}`,
    [
      `Beste,`,
      ``,
      `Het Agentschap Binnenlands Bestuur heeft de verdeling van het budget van ${input.callNameNl} gepubliceerd.`,
      ``,
      `Toegekend aan ${input.applicantNameNl}: ${formatEuro(input.allocatedCents)}`,
      `Voorschot (${input.advancePercent} %): ${formatEuro(input.advanceCents)}`,
      input.advanceCents > 0
        ? `Het voorschot wordt betaald nadat het Agentschap de betaallijst heeft vrijgegeven. Het saldo volgt bij de afrekening, na het eindrapport.`
        : `Er wordt geen voorschot betaald.`,
    ],
    `/aanvragen/${input.applicationId}`,
    publicUrl,
  );
}

export function reportReviewedText(
  input: ShareRef & { reportNameNl: string; accepted: boolean; comment: string | null; perLine: { label: string; comment: string }[] },
  publicUrl: string,
): NoticeText {
  const comments = [...(input.comment ? [input.comment] : []), ...input.perLine.map((c) => `- ${c.label}: ${c.comment}`)];
  return compose(
    `${input.accepted ? 'Aanvaard' : 'Terug voor aanpassing'}: ${input.reportNameNl} van ${input.applicantNameNl}`,
    [
      `Beste,`,
      ``,
      input.accepted
        ? `Het Agentschap Binnenlands Bestuur heeft het ${input.reportNameNl} van ${input.applicantNameNl} voor ${input.callNameNl} aanvaard.`
        : `De beoordelaar stuurt het ${input.reportNameNl} van ${input.applicantNameNl} voor ${input.callNameNl} terug om aan te passen. Pas het aan en dien het opnieuw in.`,
      ...(comments.length > 0 ? [``, `Opmerkingen:`, ...comments] : []),
    ],
    `/aanvragen/${input.applicationId}`,
    publicUrl,
  );
}

/** A report submitted, to ABB's reviewers: whose, which, when (Brussels time) and whether it came late. */
export function reportSubmittedText(
  input: {
    applicationId: number;
    applicantNameNl: string;
    callYear: number;
    kind: 'interim' | 'final';
    reportNameNl: string;
    submittedAt: Date;
    late: boolean;
  },
  publicUrl: string,
): NoticeText {
  return compose(
    `Ingediend: ${input.reportNameNl} van ${input.applicantNameNl}`,
    [
      `Beste,`,
      ``,
      `${input.applicantNameNl} diende het ${input.reportNameNl} voor projectjaar ${input.callYear} in op ${formatBrussels(input.submittedAt)} (Brusselse tijd)${input.late ? ', na de termijn' : ''}.`,
      `Het wacht op uw beoordeling.`,
    ],
    `/aanvragen/${input.applicationId}/rapporten/${input.kind}`,
    publicUrl,
  );
}

export function settlementText(
  input: ShareRef & { allocatedCents: Cents; advanceCents: Cents; reclaimCents: Cents; balanceCents: Cents; settledAt: Date },
  publicUrl: string,
): NoticeText {
  const outcome =
    input.balanceCents > 0
      ? `Saldo dat u nog ontvangt: ${formatEuro(input.balanceCents)}. Het wordt betaald nadat het Agentschap de betaallijst heeft vrijgegeven.`
      : input.balanceCents < 0
        ? `Terug te betalen: ${formatEuro(-input.balanceCents)}. U ontvangt hiervoor een aparte vraag tot terugbetaling.`
        : `Er volgt geen betaling meer en er is niets terug te betalen.`;
  return compose(
    `Afrekening: ${input.balanceCents < 0 ? `${formatEuro(-input.balanceCents)} terug te betalen` : `saldo ${formatEuro(input.balanceCents)}`} voor ${input.applicantNameNl}`,
    [
      `Beste,`,
      ``,
      `Het Agentschap Binnenlands Bestuur heeft op ${formatBrussels(input.settledAt)} (Brusselse tijd) de afrekening van ${input.applicantNameNl} voor ${input.callNameNl} afgesloten.`,
      ``,
      `Berekening:`,
      `Toegekend bedrag: ${formatEuro(input.allocatedCents)}`,
      `Min terugvordering voor wat niet werd gerealiseerd: ${formatEuro(input.reclaimCents)}`,
      `Min reeds betaald voorschot: ${formatEuro(input.advanceCents)}`,
      `Saldo: ${formatEuro(input.balanceCents)}`,
      ``,
      outcome,
    ],
    `/aanvragen/${input.applicationId}`,
    publicUrl,
  );
}
