import {
  administratorTasks,
  callState,
  MissingFacts,
  missingItems,
  OfficerApplication,
  OfficerDossier,
  officerTasks,
  platformAdministratorTasks,
  reviewerTasks,
} from './task-rules';

const NOTHING_MISSING: MissingFacts = {
  contactName: false,
  contactEmail: false,
  contactPhone: false,
  iban: false,
  letter: false,
  invitedMembers: [],
  eligibilityReasons: [],
  draft: {},
};

const dossier = (application: Partial<OfficerApplication> | null, extra: Partial<OfficerDossier> = {}): OfficerDossier => ({
  applicantId: 7,
  applicantNameNl: 'Stad Lier',
  callNameNl: 'Projectjaar 3',
  windowOpen: true,
  closesAt: new Date('2024-05-06T10:00:00Z'),
  application: application && {
    id: 42,
    status: 'concept',
    submittedAt: null,
    decidedAt: null,
    missing: NOTHING_MISSING,
    isLead: true,
    reports: [],
    share: null,
    settlement: null,
    ...application,
  },
  ...extra,
});

const group = (groups: ReturnType<typeof officerTasks>, key: string) => groups.find((g) => g.key === key);

describe('officer tasks', () => {
  it('offers a button to start an application in an open call, with the deadline in Brussels time', () => {
    const [calls] = officerTasks({ dossiers: [dossier(null)], invitations: [] });
    expect(calls.key).toBe('calls');
    expect(calls.items).toEqual([
      {
        text: 'Stad Lier: nog geen aanvraag voor Projectjaar 3',
        detail: 'Indienen kan tot 6 mei 2024 12:00 (Brusselse tijd).',
        href: '/aanvragers/7',
        post: { action: '/aanvragers/7/aanvraag', label: 'Aanvraag starten voor Stad Lier' },
      },
    ]);
  });

  it('offers no start button when the window is closed', () => {
    expect(officerTasks({ dossiers: [dossier(null, { windowOpen: false })], invitations: [] })).toEqual([]);
  });

  it('links each missing piece to the page and field where it is fixed', () => {
    const missing: MissingFacts = {
      contactName: true,
      contactEmail: false,
      contactPhone: true,
      iban: true,
      letter: true,
      invitedMembers: ['Duffel'],
      eligibilityReasons: [],
      draft: { lines: 'Plan voor minstens één KPI-lijn een bereik groter dan 0.', 'priority-5': 'Geef actie 5 een prioriteit.' },
    };
    expect(missingItems(7, 42, missing).map((i) => i.href)).toEqual([
      '/aanvragers/7#contact-contactName',
      '/aanvragers/7#contact-contactPhone',
      '/aanvragers/7#contact-payoutIban',
      '/aanvragers/7#letter-letter',
      '/aanvragers/7#member',
      '/aanvragen/42#status',
      '/aanvragen/42#priority-5',
    ]);
    const groups = officerTasks({ dossiers: [dossier({ missing })], invitations: [] });
    expect(group(groups, 'missing')!.items[6]).toEqual({ text: 'Geef actie 5 een prioriteit.', href: '/aanvragen/42#priority-5', detail: 'Stad Lier' });
  });

  it('says a complete draft is ready to submit, to the lead only', () => {
    expect(group(officerTasks({ dossiers: [dossier({})], invitations: [] }), 'missing')!.items[0].href).toBe('/aanvragen/42#submit');
    expect(group(officerTasks({ dossiers: [dossier({ isLead: false })], invitations: [] }), 'missing')).toBeUndefined();
  });

  it('lists reports due with their deadline in Brussels time, and none that is handed in', () => {
    const groups = officerTasks({
      dossiers: [
        dossier(
          {
            status: 'goedgekeurd',
            decidedAt: new Date('2023-09-22T08:00:00Z'),
            reports: [
              { kind: 'interim', status: 'accepted', dueAt: new Date('2024-05-06T10:00:00Z'), open: false, reopenedUntil: null },
              { kind: 'final', status: 'draft', dueAt: new Date('2024-10-15T21:59:59Z'), open: true, reopenedUntil: null },
            ],
          },
          { windowOpen: false },
        ),
      ],
      invitations: [],
    });
    expect(group(groups, 'reports')!.items).toEqual([
      { text: 'Eindrapport van Stad Lier', detail: 'In te dienen tegen 15 oktober 2024 23:59 (Brusselse tijd).', href: '/aanvragen/42/rapporten/final' },
    ]);
    expect(group(groups, 'decisions')!.items[0]).toEqual({
      text: 'Stad Lier: aanvraag goedgekeurd, beslissingsbrief',
      detail: 'Beslist op 22 september 2023 10:00 (Brusselse tijd).',
      href: '/aanvragen/42/beslissingsbrief',
    });
    expect(group(groups, 'calls')).toBeUndefined();
  });

  it('says a closed report must be reopened by ABB', () => {
    const [reports] = officerTasks({
      dossiers: [
        dossier(
          {
            status: 'goedgekeurd',
            reports: [{ kind: 'interim', status: 'returned', dueAt: new Date('2024-05-06T10:00:00Z'), open: false, reopenedUntil: null }],
          },
          { windowOpen: false },
        ),
      ],
      invitations: [],
    });
    expect(reports.items[0].text).toBe('Tussentijds rapport van Stad Lier: teruggestuurd, pas aan en dien opnieuw in');
    expect(reports.items[0].detail).toBe('De termijn is verstreken op 6 mei 2024 12:00; vraag ABB om het rapport te heropenen.');
  });

  it('shows the advance, the balance and a reclaim with their amounts', () => {
    const groups = officerTasks({
      dossiers: [
        dossier(
          {
            status: 'goedgekeurd',
            share: { allocatedCents: 5_000_000, advanceCents: 4_000_000, balanceCents: 1_000_000, publishedAt: new Date('2023-09-22T08:00:00Z') },
            settlement: { toPayCents: 0, toRecoverCents: 125_050, settledAt: new Date('2024-11-04T09:00:00Z') },
          },
          { windowOpen: false },
        ),
      ],
      invitations: [],
    });
    expect(group(groups, 'money')!.items.map((i) => i.text)).toEqual([
      'Stad Lier: voorschot €\u00a040.000,00 van €\u00a050.000,00',
      'Stad Lier: terugvordering €\u00a01.250,50',
    ]);
    // Settled: the advance no longer promises a balance after the final report.
    expect(group(groups, 'money')!.items[0].detail).toBe('Verdeling gepubliceerd op 22 september 2023 10:00.');
    const unsettled = officerTasks({
      dossiers: [
        dossier(
          {
            status: 'goedgekeurd',
            share: { allocatedCents: 5_000_000, advanceCents: 4_000_000, balanceCents: 1_000_000, publishedAt: new Date('2023-09-22T08:00:00Z') },
          },
          { windowOpen: false },
        ),
      ],
      invitations: [],
    });
    expect(group(unsettled, 'money')!.items[0].detail).toBe(
      'Verdeling gepubliceerd op 22 september 2023 10:00; het saldo van €\u00a010.000,00 volgt na het eindrapport.',
    );
  });

  it('lists invitations waiting for an answer', () => {
    const [invitations] = officerTasks({
      dossiers: [],
      invitations: [{ applicantId: 3, applicantNameNl: 'Lier en buren', callNameNl: 'Projectjaar 3', leadNameNl: 'Lier', localGovernmentId: 9 }],
    });
    expect(invitations).toMatchObject({
      key: 'invitations',
      items: [{ text: 'Lier nodigt uit voor Lier en buren (Projectjaar 3)', href: '/uitnodigingen#invitations' }],
    });
  });

  it('has no group at all when there is nothing to do', () => {
    expect(officerTasks({ dossiers: [], invitations: [] })).toEqual([]);
  });
});

describe('reviewer tasks', () => {
  it('lists applications and reports oldest first, with their submission time in Brussels time', () => {
    const groups = reviewerTasks({
      applications: [
        { id: 2, applicantNameNl: 'Gent', callNameNl: 'Projectjaar 3', status: 'in-behandeling', submittedAt: new Date('2024-05-02T10:00:00Z') },
        { id: 1, applicantNameNl: 'Lier', callNameNl: 'Projectjaar 3', status: 'ingediend', submittedAt: new Date('2024-05-01T10:00:00Z') },
      ],
      reports: [{ applicationId: 1, applicantNameNl: 'Lier', kind: 'interim', submittedAt: new Date('2024-05-07T10:00:00Z'), late: true }],
      settlements: [{ applicationId: 5, applicantNameNl: 'Mechelen', toPayCents: 0, toRecoverCents: 10_000 }],
      runs: [{ id: 8, callNameNl: 'Projectjaar 3', allocatedCents: 100, createdAt: new Date('2024-07-01T10:00:00Z') }],
      openCalls: [
        { yearNumber: 3, nameNl: 'Projectjaar 3', opensAt: new Date('2024-04-22T00:00:00Z'), closesAt: new Date('2024-05-06T10:00:00Z'), budgetCents: null },
      ],
      proposals: [],
    });
    expect(groups.map((g) => g.key)).toEqual(['applications', 'reports', 'settlements', 'runs', 'deadlines']);
    expect(groups[0].items.map((i) => i.href)).toEqual(['/aanvragen/1', '/aanvragen/2']);
    expect(groups[0].items[0].detail).toBe('Ingediend op 1 mei 2024 12:00 (Brusselse tijd); ingediend, wacht op behandeling door ABB.');
    expect(groups[1].items[0]).toEqual({
      text: 'Tussentijds rapport van Lier',
      detail: 'Ingediend op 7 mei 2024 12:00 (Brusselse tijd), te laat.',
      href: '/aanvragen/1/rapporten/interim#review',
    });
    expect(groups[2].items[0]).toMatchObject({ detail: 'Terugvordering €\u00a0100,00.', href: '/aanvragen/5/afrekening' });
    expect(groups[3].items[0].href).toBe('/verdelingen/8');
    expect(groups[4].items[0].text).toBe('Projectjaar 3: indienen tot 6 mei 2024 12:00 (Brusselse tijd)');
  });

  it('has no group when nothing waits', () => {
    expect(reviewerTasks({ applications: [], reports: [], settlements: [], runs: [], openCalls: [], proposals: [] })).toEqual([]);
  });
});

describe('administrator and platform administrator tasks', () => {
  const call = {
    yearNumber: 2,
    nameNl: 'Projectjaar 2',
    opensAt: new Date('2023-05-26T00:00:00Z'),
    closesAt: new Date('2023-07-10T10:00:00Z'),
    budgetCents: 1_690_000_000,
  };

  it('names the state of a call against now', () => {
    expect(callState(call, new Date('2023-05-01T00:00:00Z'))).toBe('gaat open op 26 mei 2023 02:00');
    expect(callState(call, new Date('2023-06-01T00:00:00Z'))).toBe('open tot 10 juli 2023 12:00');
    expect(callState(call, new Date('2023-08-01T00:00:00Z'))).toBe('gesloten sinds 10 juli 2023 12:00');
  });

  it('lists calls newest first with window and budget, and users; proposals only where a lib offers them', () => {
    const groups = administratorTasks({ now: new Date('2023-06-01T00:00:00Z'), calls: [call], activeUsers: 3, proposals: [] });
    expect(groups.map((g) => g.key)).toEqual(['calls', 'users']);
    expect(groups[0].items[0]).toEqual({
      text: 'Projectjaar 2: open tot 10 juli 2023 12:00 (Brusselse tijd)',
      detail: 'Termijn 26 mei 2023 02:00 – 10 juli 2023 12:00; budget €\u00a016.900.000,00.',
      href: '/beheer/oproepen/2',
    });
    const proposal = {
      id: 4,
      kindLabel: 'Publicatie van een verdeling',
      subject: 'Verdeling 12 van projectjaar 1',
      amountCents: 1_500_000,
      proposedBy: 'Bart Beoordelaar (ABB)',
      proposedAt: new Date('2023-09-22T08:00:00Z'),
      mine: false,
    };
    const withProposals = administratorTasks({ now: new Date(), calls: [], activeUsers: 1, proposals: [proposal, { ...proposal, id: 5, mine: true }] });
    expect(withProposals[0]).toEqual({
      key: 'proposals',
      titleNl: 'Voorstellen die op een tweede goedkeuring wachten',
      items: [
        {
          text: 'Publicatie van een verdeling: Verdeling 12 van projectjaar 1, €\u00a015.000,00',
          detail: 'Voorgesteld door Bart Beoordelaar (ABB) op 22 september 2023 10:00 (Brusselse tijd).',
          href: '/voorstellen/4',
        },
      ],
    });
  });

  it('gives the platform administrator users and the outbox', () => {
    const groups = platformAdministratorTasks({ activeUsers: 7, inactiveUsers: 1, outboxMails: 0 });
    expect(groups.map((g) => g.items[0].href)).toEqual(['/beheer/gebruikers', '/beheer/uitgaande-mail']);
    expect(groups[0].items[0].detail).toBe('1 gedeactiveerd.');
    expect(groups[1].items[0].text).toBe('Nog geen verstuurde mails');
  });
});
