import { applicationReference, approvalText, invitationAnswerText, invitationText, returnedText, submissionReceiptText, windowText } from './notice-texts';

const URL = 'https://plansamenleven.test';
const APP = { applicationId: 42, applicantNameNl: 'Samenwerking Rivierenland', callNameNl: 'Plan Samenleven 2026' };

describe('notice texts', () => {
  it('gives an application a reference with its call year', () => {
    expect(applicationReference(2026, 42)).toBe('PS-2026-00042');
    expect(applicationReference(2026, 1234567)).toBe('PS-2026-1234567');
  });

  it('a submission receipt names the time in Brussels, the reference and the digest', () => {
    const digest = 'a'.repeat(64);
    // 31 March 2026 at 21:59 UTC is 23:59 in Brussels (summer time).
    const notice = submissionReceiptText(
      { ...APP, reference: 'PS-2026-00042', submittedAt: new Date('2026-03-31T21:59:00Z'), digest, resubmission: false },
      URL,
    );
    expect(notice.subject).toBe('Ontvangen: aanvraag PS-2026-00042 van Samenwerking Rivierenland');
    expect(notice.text).toContain('ontving de aanvraag van Samenwerking Rivierenland voor Plan Samenleven 2026.');
    expect(notice.text).toContain('Ontvangen op: 31 maart 2026 23:59 (Brusselse tijd)');
    expect(notice.text).toContain(`Vingerafdruk (SHA-256) van wat werd ingediend: ${digest}`);
    expect(notice.text).toContain(`${URL}/aanvragen/42\n`);
    expect(notice.link).toBe('/aanvragen/42');
    expect(submissionReceiptText({ ...APP, reference: 'x', submittedAt: new Date(), digest, resubmission: true }, URL).text).toContain(
      'opnieuw ingediende aanvraag',
    );
  });

  it('a returned application lists the general comment and each line comment', () => {
    const notice = returnedText({ ...APP, general: 'Verduidelijk het bereik.', perLine: [{ label: 'Actie 5, lijn 1', comment: 'Te hoog.' }] }, URL);
    expect(notice.subject).toBe('Terug voor aanpassing: aanvraag van Samenwerking Rivierenland');
    expect(notice.text).toContain('Opmerkingen:\nVerduidelijk het bereik.\n- Actie 5, lijn 1: Te hoog.\n');
  });

  it('an approval names the confirmed amount and links the decision letter', () => {
    const notice = approvalText({ ...APP, confirmedTotalCents: 4_950_000 }, URL);
    expect(notice.text).toMatch(/is goedgekeurd, voor €\s49\.500,00\./);
    expect(notice.text).toContain(`${URL}/aanvragen/42/beslissingsbrief`);
    expect(approvalText({ ...APP, confirmedTotalCents: null }, URL).text).toContain('is goedgekeurd.');
  });

  it('an extended or reopened window gives the new end in Brussels time and the reason', () => {
    const until = new Date('2026-04-10T10:00:00Z');
    const extended = windowText({ ...APP, until, reason: 'Overmacht.', reopened: false }, URL);
    expect(extended.subject).toBe('Termijn verlengd: aanvraag van Samenwerking Rivierenland');
    expect(extended.text).toContain('tot 10 april 2026 12:00 (Brusselse tijd).\nReden: Overmacht.');
    expect(windowText({ ...APP, until, reason: 'x', reopened: true }, URL).subject).toBe('Heropend: aanvraag van Samenwerking Rivierenland');
  });

  it('an invitation and its answer name both local governments and the cooperation', () => {
    const invited = invitationText({ leadNameNl: 'Lier', applicantNameNl: 'Rivierenland', invitedNameNl: 'Duffel', applicantId: 7 }, URL);
    expect(invited.subject).toBe('Uitnodiging: Duffel gevraagd voor de samenwerking Rivierenland');
    expect(invited.text).toContain('Lier nodigt Duffel uit om deel te nemen aan de samenwerking "Rivierenland"');
    expect(invitationAnswerText({ applicantNameNl: 'Rivierenland', invitedNameNl: 'Duffel', accepted: true, applicantId: 7 }, URL).subject).toBe(
      'Duffel neemt deel aan de samenwerking Rivierenland',
    );
    expect(invitationAnswerText({ applicantNameNl: 'Rivierenland', invitedNameNl: 'Duffel', accepted: false, applicantId: 7 }, URL).subject).toBe(
      'Duffel weigert deel te nemen aan de samenwerking Rivierenland',
    );
  });

  it('every text is signed by ABB and carries its link', () => {
    for (const notice of [approvalText({ ...APP, confirmedTotalCents: 1 }, URL), returnedText({ ...APP, general: 'x', perLine: [] }, URL)]) {
      expect(notice.text).toMatch(
        /Bekijk het in Plan Samenleven: https:\/\/plansamenleven\.test\/aanvragen\/42\n\nAgentschap Binnenlands Bestuur\nPlan Samenleven$/,
      );
    }
  });
});
