import { Call } from '@ps/catalogue';
import { brusselsToInstant } from '@ps/kernel';
import { callName, NEXT_STATE, nextCallColumns, publicationRefusals, seesDraftCalls } from './call-life';

const YEAR_3 = {
  types: {
    id: 'integer',
    year_number: 'smallint',
    name_nl: 'character varying',
    submission_opens_at: 'timestamp with time zone',
    submission_closes_at: 'timestamp with time zone',
    project_start: 'date',
    project_end: 'date',
    budget_cents: 'bigint',
    decision_date: 'date',
    final_report_due_at: 'timestamp with time zone',
    only_existing_applicants: 'boolean',
    applicants_of_year: 'smallint',
    four_eyes_waiver_cents: 'bigint',
    state: 'character varying',
    version: 'integer',
    catalogue_version: 'integer',
  },
  values: {
    id: 3,
    year_number: 3,
    name_nl: 'Projectjaar 3 (2024-2025)',
    submission_opens_at: '2024-04-21T22:00:00+00:00',
    submission_closes_at: '2024-05-06T10:00:00+00:00',
    project_start: '2024-10-01',
    project_end: '2025-09-30',
    budget_cents: '1697078000',
    decision_date: null,
    final_report_due_at: '2025-10-15T21:59:59+00:00',
    only_existing_applicants: true,
    applicants_of_year: 2,
    four_eyes_waiver_cents: '500000',
    state: 'published',
    version: 7,
    catalogue_version: 3,
  },
};

describe('the next call, copied from the latest', () => {
  const next = Object.fromEntries(nextCallColumns(YEAR_3));

  it('shifts every date and instant by a year on the Brussels calendar, across summer time', () => {
    expect(next.submission_opens_at).toEqual(brusselsToInstant('2025-04-22T00:00'));
    expect(next.submission_closes_at).toEqual(brusselsToInstant('2025-05-06T12:00'));
    expect(next.project_start).toBe('2025-10-01');
    expect(next.project_end).toBe('2026-09-30');
    expect(next.final_report_due_at).toEqual(brusselsToInstant('2026-10-15T23:59:59'));
    expect(next.decision_date).toBeNull();
  });

  it('copies every other setting column as it is, also one it does not know', () => {
    expect(next).toMatchObject({ budget_cents: '1697078000', only_existing_applicants: true, four_eyes_waiver_cents: '500000' });
  });

  it('is a new draft of the next year, named like the earlier ones, admitting the applicants of the call it copies', () => {
    expect(next).toMatchObject({ year_number: 4, name_nl: 'Projectjaar 4 (2025-2026)', state: 'draft', applicants_of_year: 3 });
    expect(Object.keys(next)).not.toEqual(expect.arrayContaining(['id']));
    expect('version' in next || 'catalogue_version' in next || 'id' in next).toBe(false);
  });

  it('names a call by its project period', () => expect(callName(1, '2022-10-01', '2023-09-30')).toBe('Projectjaar 1 (2022-2023)'));
});

describe('publishing a call', () => {
  const call = {
    yearNumber: 4,
    submissionOpensAt: brusselsToInstant('2025-04-22T00:00'),
    submissionClosesAt: brusselsToInstant('2025-05-06T12:00'),
    projectStart: '2025-10-01',
    projectEnd: '2026-09-30',
    decisionDate: null,
    interimReportDueAt: null,
    finalReportDueAt: brusselsToInstant('2026-10-15T23:59:59'),
    budgetCents: 1_697_078_000,
    statisticsReferenceYear: 2022,
    originDefinition: 'niet-EU-14',
    signatoryName: 'An Peeters',
    signatoryFunction: 'Afdelingshoofd',
    appealText: 'Tegen deze beslissing kunt u binnen 30 dagen beroep instellen.',
  } as unknown as Call;
  const complete = { fundedActionsWithoutAmount: [], statisticsExist: true };

  it('accepts a complete and consistent call', () => expect(publicationRefusals(call, complete)).toEqual({}));

  it('refuses each missing or inconsistent item with its own Dutch message', () => {
    const refusals = publicationRefusals(
      {
        ...call,
        submissionClosesAt: brusselsToInstant('2025-10-02T12:00'),
        projectEnd: '2025-09-30',
        interimReportDueAt: brusselsToInstant('2027-01-01T00:00'),
        finalReportDueAt: brusselsToInstant('2025-09-01T00:00'),
        budgetCents: null,
        signatoryName: null,
        signatoryFunction: '  ',
        appealText: '',
      } as Call,
      { fundedActionsWithoutAmount: [{ number: 25, titleNl: 'Buddywerking' }], statisticsExist: false },
    );
    expect(refusals).toEqual({
      projectStart: ['Het project start na het sluiten van de indientermijn.'],
      projectEnd: ['De projectperiode eindigt na de start.'],
      interimReportDue: ['De tussentijdse rapportering valt binnen de projectperiode.'],
      finalReportDue: ['De eindrapportering valt na het einde van de projectperiode.'],
      budgetEuro: ['Geef het budget van de oproep.'],
      signatoryName: ['Geef de naam van wie de beslissingsbrieven ondertekent.'],
      signatoryFunction: ['Geef de functie van wie de beslissingsbrieven ondertekent.'],
      appealText: ['Geef de beroepsmogelijkheden die in elke beslissingsbrief staan.'],
      statisticsReferenceYear: ['Er zijn geen statistieken voor 2022 (niet-EU-14): importeer ze of kies een ander referentiejaar.'],
      menu: ['Actie 25 (Buddywerking) wordt gefinancierd maar heeft geen KPI-lijn met een bedrag per eenheid.'],
    });
  });

  it('refuses a window that closes before it opens and a decision before the window', () => {
    const refusals = publicationRefusals({ ...call, submissionClosesAt: brusselsToInstant('2025-04-01T00:00'), decisionDate: '2025-01-01' } as Call, complete);
    expect(Object.keys(refusals).sort()).toEqual(['decisionDate', 'submissionCloses']);
  });

  it('lets a call go draft → published → closed, and no further', () => {
    expect(NEXT_STATE).toEqual({ draft: 'published', published: 'closed', closed: null });
  });

  it('shows drafts only to those who manage calls', () => {
    expect(seesDraftCalls('abb-administrator')).toBe(true);
    expect(['municipal-officer', 'abb-reviewer', 'vvsg-analyst', 'platform-administrator', null, undefined].map((r) => seesDraftCalls(r as never))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
