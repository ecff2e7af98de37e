import { Cents, formatBrussels, formatEuro } from '@ps/kernel';

/**
 * What is a task on "Mijn taken", per role: pure, from the facts the tasks read model gathers. Each item says what to do
 * in Dutch and links to the page (and where it can, the field) where it is done. A group appears only when it has items;
 * when none has, the page shows the role's empty state, which says what will appear and when.
 */
export interface TaskItem {
  text: string;
  href: string;
  /** A second line: a state, a time or an amount. */
  detail?: string;
  /** A step that is a button (a POST form without JavaScript), not a link. */
  post?: { action: string; label: string };
}

export interface TaskGroup {
  key: string;
  titleNl: string;
  items: TaskItem[];
}

/** The statuses of an application, as the applications lib names them. */
export type ApplicationStatus = 'concept' | 'ingediend' | 'in-behandeling' | 'goedgekeurd' | 'afgewezen' | 'terug-naar-aanvrager';

const STATUS_NL: Record<ApplicationStatus, string> = {
  concept: 'concept, nog niet ingediend',
  ingediend: 'ingediend, wacht op behandeling door ABB',
  'in-behandeling': 'in behandeling bij ABB',
  goedgekeurd: 'goedgekeurd',
  afgewezen: 'afgewezen',
  'terug-naar-aanvrager': 'teruggestuurd: pas de aanvraag aan en dien opnieuw in',
};

const REPORT_NL = { interim: 'Tussentijds rapport', final: 'Eindrapport' } as const;
export type ReportKindName = keyof typeof REPORT_NL;

// ---- municipal officer ----

/** What a submission still needs from the applicant's record (contact person, payout account) and from the draft. */
export interface MissingFacts {
  contactName: boolean;
  contactEmail: boolean;
  contactPhone: boolean;
  iban: boolean;
  /** A signed letter is required for the account and none is there. */
  letter: boolean;
  /** Invited local governments that have not answered yet. */
  invitedMembers: string[];
  /** The applicant is not eligible as it stands: the engine's reasons. */
  eligibilityReasons: string[];
  /** The draft's own incomplete fields (lines, priority-N, mentorship-…, impact-…) with their first message. */
  draft: Record<string, string>;
}

export interface OfficerReport {
  kind: ReportKindName;
  status: 'draft' | 'submitted' | 'returned' | 'accepted';
  dueAt: Date | null;
  open: boolean;
  reopenedUntil: Date | null;
}

export interface OfficerApplication {
  id: number;
  status: ApplicationStatus;
  submittedAt: Date | null;
  decidedAt: Date | null;
  /** Only for a draft or an application sent back: what stands between it and a submission. */
  missing: MissingFacts | null;
  /** Only the lead submits. */
  isLead: boolean;
  reports: OfficerReport[];
  /** The published allocation's share: the amount, the advance and the rest. */
  share: { allocatedCents: Cents; advanceCents: Cents; balanceCents: Cents; publishedAt: Date } | null;
  /** The settlement after the final report, when closed. */
  settlement: { toPayCents: Cents; toRecoverCents: Cents; settledAt: Date } | null;
}

/** An applicant the officer's local government takes part in, in one call. */
export interface OfficerDossier {
  applicantId: number;
  applicantNameNl: string;
  callNameNl: string;
  /** The call's submission window is open now. */
  windowOpen: boolean;
  closesAt: Date;
  application: OfficerApplication | null;
}

export interface OfficerInvitation {
  applicantId: number;
  applicantNameNl: string;
  callNameNl: string;
  leadNameNl: string;
  localGovernmentId: number;
}

export interface OfficerFacts {
  dossiers: OfficerDossier[];
  invitations: OfficerInvitation[];
}

/** Where each missing piece is fixed: the applicant's page for its record, the application's form for the draft. */
export function missingItems(applicantId: number, applicationId: number, missing: MissingFacts): TaskItem[] {
  const applicant = `/aanvragers/${applicantId}`;
  const items: TaskItem[] = [];
  if (missing.contactName) items.push({ text: 'Vul de naam van de contactpersoon in', href: `${applicant}#contact-contactName` });
  if (missing.contactEmail) items.push({ text: 'Vul het e-mailadres van de contactpersoon in', href: `${applicant}#contact-contactEmail` });
  if (missing.contactPhone) items.push({ text: 'Vul het telefoonnummer van de contactpersoon in', href: `${applicant}#contact-contactPhone` });
  if (missing.iban) items.push({ text: 'Vul het rekeningnummer voor de uitbetaling in', href: `${applicant}#contact-payoutIban` });
  if (missing.letter) items.push({ text: 'Voeg de ondertekende bevestigingsbrief voor het rekeningnummer toe', href: `${applicant}#letter-letter` });
  if (missing.invitedMembers.length > 0)
    items.push({ text: `Wacht op het antwoord van ${missing.invitedMembers.join(', ')} of trek de uitnodiging in`, href: `${applicant}#member` });
  for (const reason of missing.eligibilityReasons) items.push({ text: reason, href: `${applicant}#eligibility` });
  for (const [field, message] of Object.entries(missing.draft)) {
    // "lines" names no single field: the action table starts at the first planned reach, the status block is above it.
    items.push({ text: message, href: `/aanvragen/${applicationId}#${field === 'lines' ? 'status' : field}` });
  }
  return items;
}

/** A report still to be handed in (or handed in again), with its deadline in Brussels time. */
function reportDue(applicationId: number, applicantNameNl: string, report: OfficerReport): TaskItem | null {
  if (report.status === 'submitted' || report.status === 'accepted') return null;
  const deadline = report.reopenedUntil ?? report.dueAt;
  if (!deadline && report.status === 'draft') return null; // a call without this report: nothing is due
  const when = deadline ? `In te dienen tegen ${formatBrussels(deadline)} (Brusselse tijd).` : 'Dien het rapport opnieuw in.';
  return {
    text: `${REPORT_NL[report.kind]} van ${applicantNameNl}${report.status === 'returned' ? ': teruggestuurd, pas aan en dien opnieuw in' : ''}`,
    detail: report.open ? when : `De termijn is verstreken${deadline ? ` op ${formatBrussels(deadline)}` : ''}; vraag ABB om het rapport te heropenen.`,
    href: `/aanvragen/${applicationId}/rapporten/${report.kind}`,
  };
}

export function officerTasks(facts: OfficerFacts): TaskGroup[] {
  const calls: TaskItem[] = [];
  const missing: TaskItem[] = [];
  const reports: TaskItem[] = [];
  const decisions: TaskItem[] = [];
  const money: TaskItem[] = [];
  for (const dossier of facts.dossiers) {
    const application = dossier.application;
    if (!application) {
      if (dossier.windowOpen)
        calls.push({
          text: `${dossier.applicantNameNl}: nog geen aanvraag voor ${dossier.callNameNl}`,
          detail: `Indienen kan tot ${formatBrussels(dossier.closesAt)} (Brusselse tijd).`,
          href: `/aanvragers/${dossier.applicantId}`,
          post: { action: `/aanvragers/${dossier.applicantId}/aanvraag`, label: `Aanvraag starten voor ${dossier.applicantNameNl}` },
        });
      continue;
    }
    const id = application.id;
    const open = application.status === 'concept' || application.status === 'terug-naar-aanvrager';
    if (dossier.windowOpen || open || application.status === 'ingediend' || application.status === 'in-behandeling') {
      calls.push({
        text: `${dossier.applicantNameNl}, ${dossier.callNameNl}: ${STATUS_NL[application.status]}`,
        detail: application.submittedAt
          ? `Ingediend op ${formatBrussels(application.submittedAt)} (Brusselse tijd).`
          : `Indienen kan tot ${formatBrussels(dossier.closesAt)} (Brusselse tijd)${application.isLead ? '' : '; de trekker dient in'}.`,
        href: `/aanvragen/${id}`,
      });
    }
    if (open && application.missing) {
      for (const item of missingItems(dossier.applicantId, id, application.missing)) missing.push({ ...item, detail: dossier.applicantNameNl });
      if (missingItems(dossier.applicantId, id, application.missing).length === 0 && application.isLead)
        missing.push({ text: `${dossier.applicantNameNl}: de aanvraag is volledig, dien ze in`, href: `/aanvragen/${id}#submit` });
    }
    for (const report of application.reports) {
      const item = reportDue(id, dossier.applicantNameNl, report);
      if (item) reports.push(item);
    }
    if (application.status === 'goedgekeurd' && application.decidedAt)
      decisions.push({
        text: `${dossier.applicantNameNl}: aanvraag goedgekeurd, beslissingsbrief`,
        detail: `Beslist op ${formatBrussels(application.decidedAt)} (Brusselse tijd).`,
        href: `/aanvragen/${id}/beslissingsbrief`,
      });
    if (application.status === 'afgewezen' && application.decidedAt)
      decisions.push({
        text: `${dossier.applicantNameNl}: aanvraag afgewezen`,
        detail: `Beslist op ${formatBrussels(application.decidedAt)} (Brusselse tijd).`,
        href: `/aanvragen/${id}`,
      });
    if (application.share) {
      const share = application.share;
      money.push({
        text: `${dossier.applicantNameNl}: voorschot ${formatEuro(share.advanceCents)} van ${formatEuro(share.allocatedCents)}`,
        // Once settled, the settlement's own item says what the rest came to.
        detail: application.settlement
          ? `Verdeling gepubliceerd op ${formatBrussels(share.publishedAt)}.`
          : `Verdeling gepubliceerd op ${formatBrussels(share.publishedAt)}; het saldo van ${formatEuro(share.balanceCents)} volgt na het eindrapport.`,
        href: `/aanvragen/${id}/verdeling`,
      });
    }
    if (application.settlement) {
      const s = application.settlement;
      money.push({
        text:
          s.toRecoverCents > 0
            ? `${dossier.applicantNameNl}: terugvordering ${formatEuro(s.toRecoverCents)}`
            : `${dossier.applicantNameNl}: saldo ${formatEuro(s.toPayCents)}`,
        detail: `Afrekening afgesloten op ${formatBrussels(s.settledAt)} (Brusselse tijd).`,
        href: `/aanvragen/${id}/afrekening`,
      });
    }
  }
  const invitations = facts.invitations.map((i) => ({
    text: `${i.leadNameNl} nodigt uit voor ${i.applicantNameNl} (${i.callNameNl})`,
    detail: 'Aanvaard of weiger de uitnodiging.',
    href: '/uitnodigingen#invitations',
  }));
  return nonEmpty([
    { key: 'calls', titleNl: 'Oproepen en aanvragen', items: calls },
    { key: 'missing', titleNl: 'Nog te doen voor de indiening', items: missing },
    { key: 'invitations', titleNl: 'Uitnodigingen die op uw antwoord wachten', items: invitations },
    { key: 'reports', titleNl: 'Rapporten in te dienen', items: reports },
    { key: 'decisions', titleNl: 'Beslissingen en brieven', items: decisions },
    { key: 'money', titleNl: 'Geld: voorschot, saldo en terugvordering', items: money },
  ]);
}

// ---- ABB reviewer ----

export interface ReviewerFacts {
  /** Submitted or in review. */
  applications: { id: number; applicantNameNl: string; callNameNl: string; status: ApplicationStatus; submittedAt: Date | null }[];
  reports: { applicationId: number; applicantNameNl: string; kind: ReportKindName; submittedAt: Date | null; late: boolean }[];
  settlements: { applicationId: number; applicantNameNl: string; toPayCents: Cents; toRecoverCents: Cents }[];
  runs: { id: number; callNameNl: string; allocatedCents: Cents; createdAt: Date }[];
  openCalls: CallFacts[];
  /** Reviewers approve money decisions too (four eyes). */
  proposals: PendingProposal[];
}

export interface CallFacts {
  yearNumber: number;
  nameNl: string;
  opensAt: Date;
  closesAt: Date;
  budgetCents: Cents | null;
}

/** Oldest submission first; one never submitted (cannot happen for these statuses) last. */
const bySubmission = <T extends { submittedAt: Date | null }>(a: T, b: T) =>
  (a.submittedAt?.getTime() ?? Number.MAX_SAFE_INTEGER) - (b.submittedAt?.getTime() ?? Number.MAX_SAFE_INTEGER);

const submitted = (at: Date | null) => (at ? `Ingediend op ${formatBrussels(at)} (Brusselse tijd)` : 'Nog niet ingediend');

export function reviewerTasks(facts: ReviewerFacts): TaskGroup[] {
  return nonEmpty([
    {
      key: 'applications',
      titleNl: 'Aanvragen te behandelen (oudste eerst)',
      items: [...facts.applications].sort(bySubmission).map((a) => ({
        text: `${a.applicantNameNl}, ${a.callNameNl}`,
        detail: `${submitted(a.submittedAt)}; ${STATUS_NL[a.status]}.`,
        href: `/aanvragen/${a.id}`,
      })),
    },
    {
      key: 'reports',
      titleNl: 'Rapporten te beoordelen (oudste eerst)',
      items: [...facts.reports].sort(bySubmission).map((r) => ({
        text: `${REPORT_NL[r.kind]} van ${r.applicantNameNl}`,
        detail: `${submitted(r.submittedAt)}${r.late ? ', te laat' : ''}.`,
        href: `/aanvragen/${r.applicationId}/rapporten/${r.kind}#review`,
      })),
    },
    {
      key: 'settlements',
      titleNl: 'Afrekeningen klaar om af te sluiten',
      items: facts.settlements.map((s) => ({
        text: `Afrekening van ${s.applicantNameNl}`,
        detail: s.toRecoverCents > 0 ? `Terugvordering ${formatEuro(s.toRecoverCents)}.` : `Saldo ${formatEuro(s.toPayCents)}.`,
        href: `/aanvragen/${s.applicationId}/afrekening`,
      })),
    },
    { key: 'proposals', titleNl: 'Voorstellen die op een tweede goedkeuring wachten', items: proposalItems(facts.proposals) },
    {
      key: 'runs',
      titleNl: 'Verdelingen te publiceren',
      items: facts.runs.map((r) => ({
        text: `Verdeling ${r.id} van ${r.callNameNl}: ${formatEuro(r.allocatedCents)}`,
        detail: `Gesimuleerd op ${formatBrussels(r.createdAt)} (Brusselse tijd); nog geen verdeling gepubliceerd voor deze oproep.`,
        href: `/verdelingen/${r.id}`,
      })),
    },
    {
      key: 'deadlines',
      titleNl: 'Termijnen van de open oproepen',
      items: facts.openCalls.map((c) => ({
        text: `${c.nameNl}: indienen tot ${formatBrussels(c.closesAt)} (Brusselse tijd)`,
        href: `/aanvragen?projectjaar=${c.yearNumber}`,
      })),
    },
  ]);
}

// ---- ABB administrator ----

export interface AdministratorFacts {
  now: Date;
  calls: CallFacts[];
  activeUsers: number;
  /** Money decisions proposed by one ABB person, waiting for a second one's approval (four eyes, the allocation lib). */
  proposals: PendingProposal[];
}

export interface PendingProposal {
  id: number;
  kindLabel: string;
  subject: string;
  amountCents: Cents;
  proposedBy: string;
  proposedAt: Date;
  /** Proposed by the person looking: they cannot approve it themselves. */
  mine: boolean;
}

export function callState(call: CallFacts, now: Date): string {
  if (now < call.opensAt) return `gaat open op ${formatBrussels(call.opensAt)}`;
  if (now < call.closesAt) return `open tot ${formatBrussels(call.closesAt)}`;
  return `gesloten sinds ${formatBrussels(call.closesAt)}`;
}

export function administratorTasks(facts: AdministratorFacts): TaskGroup[] {
  return nonEmpty([
    {
      key: 'proposals',
      titleNl: 'Voorstellen die op een tweede goedkeuring wachten',
      items: proposalItems(facts.proposals),
    },
    {
      key: 'calls',
      titleNl: 'Oproepen: staat, termijn en budget',
      items: [...facts.calls]
        .sort((a, b) => b.yearNumber - a.yearNumber)
        .map((c) => ({
          text: `${c.nameNl}: ${callState(c, facts.now)} (Brusselse tijd)`,
          detail: `Termijn ${formatBrussels(c.opensAt)} – ${formatBrussels(c.closesAt)}; budget ${c.budgetCents === null ? 'nog niet bepaald' : formatEuro(c.budgetCents)}.`,
          href: `/beheer/oproepen/${c.yearNumber}`,
        })),
    },
    {
      key: 'users',
      titleNl: 'Gebruikers',
      items: [{ text: `${facts.activeUsers} actieve gebruikers beheren`, href: '/beheer/gebruikers' }],
    },
  ]);
}

// ---- VVSG analyst and platform administrator ----

export function analystTasks(): TaskGroup[] {
  return [
    {
      key: 'overviews',
      titleNl: 'Overzichten',
      items: [
        { text: 'Overzicht per actie en periode', href: '/overzichten' },
        { text: 'Overzicht per lokaal bestuur', href: '/overzichten/lokale-besturen' },
        { text: 'Publieke cijfers', href: '/cijfers' },
      ],
    },
    {
      key: 'exports',
      titleNl: 'Exports',
      items: [
        { text: 'Acties als Excel', href: '/overzichten/acties.xlsx' },
        { text: 'Acties als CSV', href: '/overzichten/acties.csv' },
        { text: 'KPI-lijnen als Excel', href: '/overzichten/kpi-lijnen.xlsx' },
        { text: 'Lokale besturen als Excel', href: '/overzichten/lokale-besturen.xlsx' },
      ],
    },
  ];
}

export interface PlatformAdministratorFacts {
  activeUsers: number;
  inactiveUsers: number;
  outboxMails: number;
}

export function platformAdministratorTasks(facts: PlatformAdministratorFacts): TaskGroup[] {
  return [
    {
      key: 'users',
      titleNl: 'Gebruikers',
      items: [
        {
          text: `${facts.activeUsers} actieve gebruikers beheren`,
          detail: facts.inactiveUsers > 0 ? `${facts.inactiveUsers} gedeactiveerd.` : undefined,
          href: '/beheer/gebruikers',
        },
      ],
    },
    {
      key: 'outbox',
      titleNl: 'Uitgaande mail',
      items: [
        {
          text: facts.outboxMails > 0 ? `De laatste ${facts.outboxMails} verstuurde mails nakijken` : 'Nog geen verstuurde mails',
          href: '/beheer/uitgaande-mail',
        },
      ],
    },
  ];
}

/** Four eyes: the one who proposed cannot approve, so only the others' proposals are this person's task. */
function proposalItems(proposals: PendingProposal[]): TaskItem[] {
  return proposals
    .filter((p) => !p.mine)
    .map((p) => ({
      text: `${p.kindLabel}: ${p.subject}, ${formatEuro(p.amountCents)}`,
      detail: `Voorgesteld door ${p.proposedBy} op ${formatBrussels(p.proposedAt)} (Brusselse tijd).`,
      href: `/voorstellen/${p.id}`,
    }));
}

const nonEmpty = (groups: TaskGroup[]) => groups.filter((group) => group.items.length > 0);
