import {
  allocationPublishedText,
  applicationReference,
  approvalText,
  invitationAnswerText,
  invitationText,
  reportReviewedText,
  reportSubmittedText,
  returnedText,
  settlementText,
  submissionReceiptText,
  windowText,
} from './notice-texts';

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

  it('a published allocation names the amount, the advance and that it is paid after the release', () => {
    const notice = allocationPublishedText({ ...APP, allocatedCents: 4_950_000, advanceCents: 3_960_000, advancePercent: 80 }, URL);
    expect(notice.subject).toMatch(/^Verdeling gepubliceerd: €\s49\.500,00 voor Samenwerking Rivierenland$/);
    expect(notice.text).toContain('de verdeling van het budget van Plan Samenleven 2026 gepubliceerd.');
    expect(notice.text).toMatch(/Toegekend aan Samenwerking Rivierenland: €\s49\.500,00\nVoorschot \(80 %\): €\s39\.600,00\n/);
    expect(notice.text).toContain('Het voorschot wordt betaald nadat het Agentschap de betaallijst heeft vrijgegeven.');
    expect(notice.link).toBe('/aanvragen/42');
    const nothing = allocationPublishedText({ ...APP, allocatedCents: 0, advanceCents: 0, advancePercent: 80 }, URL);
    expect(nothing.text).toContain('Er wordt geen voorschot betaald.');
    expect(nothing.text).not.toContain('betaallijst');
  });

  it('a reviewed report: accepted, or returned with the comments', () => {
    const accepted = reportReviewedText({ ...APP, reportNameNl: 'eindrapport', accepted: true, comment: null, perLine: [] }, URL);
    expect(accepted.subject).toBe('Aanvaard: eindrapport van Samenwerking Rivierenland');
    expect(accepted.text).toContain('heeft het eindrapport van Samenwerking Rivierenland voor Plan Samenleven 2026 aanvaard.');
    expect(accepted.text).not.toContain('Opmerkingen');
    const returned = reportReviewedText(
      {
        ...APP,
        reportNameNl: 'tussentijds rapport',
        accepted: false,
        comment: 'Vul de aanpak aan.',
        perLine: [{ label: 'Actie 5, lijn 1', comment: 'Te vaag.' }],
      },
      URL,
    );
    expect(returned.subject).toBe('Terug voor aanpassing: tussentijds rapport van Samenwerking Rivierenland');
    expect(returned.text).toContain('Pas het aan en dien het opnieuw in.\n\nOpmerkingen:\nVul de aanpak aan.\n- Actie 5, lijn 1: Te vaag.\n');
  });

  it('a settlement gives its computation and the balance to receive, or the amount to pay back', () => {
    // 15 May 2027 at 08:30 UTC is 10:30 in Brussels (summer time).
    const settledAt = new Date('2027-05-15T08:30:00Z');
    const balance = settlementText({ ...APP, allocatedCents: 10_000_00, advanceCents: 8_000_00, reclaimCents: 1_100_00, balanceCents: 900_00, settledAt }, URL);
    expect(balance.subject).toMatch(/^Afrekening: saldo €\s900,00 voor Samenwerking Rivierenland$/);
    expect(balance.text).toContain('op 15 mei 2027 10:30 (Brusselse tijd) de afrekening');
    expect(balance.text).toMatch(
      /Toegekend bedrag: €\s10\.000,00\nMin terugvordering voor wat niet werd gerealiseerd: €\s1\.100,00\nMin reeds betaald voorschot: €\s8\.000,00\nSaldo: €\s900,00\n/,
    );
    expect(balance.text).toMatch(/Saldo dat u nog ontvangt: €\s900,00\./);
    const reclaim = settlementText(
      { ...APP, allocatedCents: 10_000_00, advanceCents: 8_000_00, reclaimCents: 5_000_00, balanceCents: -3_000_00, settledAt },
      URL,
    );
    expect(reclaim.subject).toMatch(/^Afrekening: €\s3\.000,00 terug te betalen voor Samenwerking Rivierenland$/);
    expect(reclaim.text).toMatch(/Terug te betalen: €\s3\.000,00\./);
    const even = settlementText({ ...APP, allocatedCents: 10_000_00, advanceCents: 8_000_00, reclaimCents: 2_000_00, balanceCents: 0, settledAt }, URL);
    expect(even.text).toContain('Er volgt geen betaling meer en er is niets terug te betalen.');
  });

  it("tells ABB's reviewers of a submitted report: whose, which, when in Brussels time, late or not, with its page", () => {
    const base = { applicationId: 42, applicantNameNl: 'Stad Lier', callYear: 4, kind: 'final' as const, reportNameNl: 'eindrapport' };
    // 15 October 2027 22:30 UTC is 16 October 00:30 in Brussels (summer time).
    const late = reportSubmittedText({ ...base, submittedAt: new Date('2027-10-15T22:30:00Z'), late: true }, URL);
    expect(late.subject).toBe('Ingediend: eindrapport van Stad Lier');
    expect(late.text).toContain('Stad Lier diende het eindrapport voor projectjaar 4 in op 16 oktober 2027 00:30 (Brusselse tijd), na de termijn.');
    expect(late.link).toBe('/aanvragen/42/rapporten/final');
    const onTime = reportSubmittedText(
      { ...base, kind: 'interim', reportNameNl: 'tussentijds rapport', submittedAt: new Date('2027-05-01T08:00:00Z'), late: false },
      URL,
    );
    expect(onTime.text).toContain('in op 1 mei 2027 10:00 (Brusselse tijd).');
    expect(onTime.link).toBe('/aanvragen/42/rapporten/interim');
  });

  it('every text is signed by ABB and carries its link', () => {
    for (const notice of [approvalText({ ...APP, confirmedTotalCents: 1 }, URL), returnedText({ ...APP, general: 'x', perLine: [] }, URL)]) {
      expect(notice.text).toMatch(
        /Bekijk het in Plan Samenleven: https:\/\/plansamenleven\.test\/aanvragen\/42\n\nAgentschap Binnenlands Bestuur\nPlan Samenleven$/,
      );
    }
  });
});
