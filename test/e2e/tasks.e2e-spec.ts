import request from 'supertest';
import { UsersService, actorFor } from '@ps/identity';
import { FixedClock } from '@ps/kernel';
import { AllocationFixture, threeApprovedAndOnePending } from '../support/allocation-fixture';
import { Factories, startFactories } from '../support/factories';
import { Agent, csrfFrom, signIn } from '../support/sessions';
import { startTestApp, TestApp } from '../support/test-app';

/** The links of the task list (not the navigation's), in page order. */
const taskLinks = (html: string) =>
  [...html.matchAll(/<a class="govuk-link govuk-!-font-weight-bold" href="([^"]+)"/g)].map((m) => m[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'));

/** Follows a task's link: the page answers 200 and, when the link names a field, has that field. */
async function follow(agent: Agent, href: string): Promise<string> {
  const [path, anchor] = href.split('#');
  const page = await agent.get(path).expect(200);
  if (anchor) expect(page.text).toContain(`id="${anchor}"`);
  return page.text;
}

describe('Mijn taken on the demo data (issue 25)', () => {
  const clock = new FixedClock(new Date('2024-04-30T10:00:00Z'));
  let t: TestApp;
  let lierApplicant: number;
  let gentApplicant: number;
  beforeAll(async () => {
    t = await startTestApp({ clock });
    [{ id: lierApplicant }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Samenwerkingsverband Lier-Duffel-Berlaar'`);
    [{ id: gentApplicant }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Stad Gent'`);
    await t.dataSource.query(
      `UPDATE applicant SET contact_name = 'Griet', contact_email = 'griet@gent.demo', contact_phone = '+3292665500', payout_iban = 'BE68539007547034' WHERE id = $1`,
      [gentApplicant],
    );
  });
  afterAll(() => t.close());

  it('lands every role on Mijn taken after signing in', async () => {
    for (const email of ['medewerker@lier.demo', 'beoordelaar@abb.demo', 'beheerder@abb.demo', 'analist@vvsg.demo', 'platform@beheer.demo']) {
      const agent = request.agent(t.http);
      const form = await agent.get('/aanmelden').expect(200);
      const res = await agent
        .post('/aanmelden')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), email, password: 'Samenleven-demo-2026' })
        .expect(303);
      expect(res.headers.location).toBe('/taken');
      const page = await agent.get('/taken').expect(200);
      expect(page.text).toContain('<h1 class="govuk-heading-xl">Mijn taken</h1>');
      expect(page.text).toMatch(/href="\/taken" aria-current="page"/);
    }
  });

  it('lets the Lier officer start the application from Mijn taken and from the Aanvragen page, then lists what is missing with links to the fields', async () => {
    const lier = await signIn(t, 'medewerker@lier.demo');
    const tasks = await lier.get('/taken').expect(200);
    expect(tasks.text).toContain('Samenwerkingsverband Lier-Duffel-Berlaar: nog geen aanvraag voor');
    expect(tasks.text).toContain(`action="/aanvragers/${lierApplicant}/aanvraag"`);
    expect(tasks.text).not.toContain('Stad Gent');
    const applications = await lier.get('/aanvragen').expect(200);
    expect(applications.text).toContain('id="startable"');
    expect(applications.text).toContain(`action="/aanvragers/${lierApplicant}/aanvraag"`);

    const started = await lier
      .post(`/aanvragers/${lierApplicant}/aanvraag`)
      .type('form')
      .send({ _csrf: csrfFrom(tasks.text) })
      .expect(303);
    const [{ id: applicationId }] = await t.dataSource.query(`SELECT id FROM application WHERE applicant_id = $1`, [lierApplicant]);
    expect(started.headers.location).toBe(`/aanvragen/${applicationId}`);
    expect((await lier.get('/aanvragen').expect(200)).text).not.toContain('id="startable"');

    const after = await lier.get('/taken').expect(200);
    expect(after.text).not.toContain('nog geen aanvraag');
    expect(after.text).toContain('Nog te doen voor de indiening');
    const links = taskLinks(after.text);
    expect(links).toEqual(
      expect.arrayContaining([
        `/aanvragen/${applicationId}`,
        `/aanvragers/${lierApplicant}#contact-contactName`,
        `/aanvragers/${lierApplicant}#contact-contactEmail`,
        `/aanvragers/${lierApplicant}#contact-contactPhone`,
        `/aanvragers/${lierApplicant}#contact-payoutIban`,
        `/aanvragen/${applicationId}#status`,
      ]),
    );
    for (const href of links) await follow(lier, href);
  });

  it('shows the Gent officer only Gent, and a submitted application with its time in Brussels time', async () => {
    const gent = await signIn(t, 'medewerker@gent.demo');
    const tasks = await gent.get('/taken').expect(200);
    expect(tasks.text).toContain('Stad Gent: nog geen aanvraag');
    expect(tasks.text).not.toContain('Lier');
    await gent
      .post(`/aanvragers/${gentApplicant}/aanvraag`)
      .type('form')
      .send({ _csrf: csrfFrom(tasks.text) })
      .expect(303);
    const [{ id }] = await t.dataSource.query(`SELECT id FROM application WHERE applicant_id = $1`, [gentApplicant]);
    const form = await gent.get(`/aanvragen/${id}`).expect(200);
    const [first] = [...form.text.matchAll(/name="(planned-\d+)"/g)].map((m) => m[1]);
    await gent
      .post(`/aanvragen/${id}`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), version: /name="version" value="(\d+)"/.exec(form.text)![1], [first]: '1', 'priority-2': '1' })
      .expect(303);
    const ready = await gent.get('/taken').expect(200);
    expect(ready.text).toContain('Stad Gent: de aanvraag is volledig, dien ze in');
    expect(taskLinks(ready.text)).toContain(`/aanvragen/${id}#submit`);
    const saved = await gent.get(`/aanvragen/${id}`).expect(200);
    await gent
      .post(`/aanvragen/${id}/indienen`)
      .type('form')
      .send({ _csrf: csrfFrom(saved.text), version: /name="version" value="(\d+)"/.exec(saved.text)![1] })
      .expect(303);
    const submitted = await gent.get('/taken').expect(200);
    expect(submitted.text).toContain('Stad Gent, ');
    expect(submitted.text).toContain('ingediend, wacht op behandeling door ABB');
    expect(submitted.text).toContain('Ingediend op 30 april 2024 12:00 (Brusselse tijd).');
    expect(submitted.text).not.toContain('Nog te doen voor de indiening');
  });

  it('gives the reviewer the submitted application, oldest first, and the deadline of the open call', async () => {
    const reviewer = await signIn(t, 'beoordelaar@abb.demo');
    const page = await reviewer.get('/taken').expect(200);
    const [{ id }] = await t.dataSource.query(`SELECT a.id FROM application a JOIN applicant p ON p.id = a.applicant_id WHERE p.name_nl = 'Stad Gent'`);
    expect(page.text).toContain('Aanvragen te behandelen (oudste eerst)');
    expect(page.text).toContain('Ingediend op 30 april 2024 12:00 (Brusselse tijd)');
    expect(page.text).toContain('Termijnen van de open oproepen');
    const links = taskLinks(page.text);
    expect(links[0]).toBe(`/aanvragen/${id}`);
    // The Lier draft is not submitted: not the reviewer's task.
    expect(page.text).not.toContain('Lier');
    for (const href of links) await follow(reviewer, href);
  });

  it('gives the administrator the calls with their state, window and budget, and the users', async () => {
    const admin = await signIn(t, 'beheerder@abb.demo');
    const page = await admin.get('/taken').expect(200);
    expect(page.text).toContain('Oproepen: staat, termijn en budget');
    expect(page.text).toMatch(/open tot \d+ \w+ 2024/);
    expect(page.text).toContain('gesloten sinds');
    const links = taskLinks(page.text);
    expect(links).toEqual(expect.arrayContaining(['/beheer/oproepen/1', '/beheer/gebruikers']));
    for (const href of links) await follow(admin, href);
  });

  it('gives the analyst the overviews and exports, and the platform administrator users and outbox', async () => {
    const analyst = await signIn(t, 'analist@vvsg.demo');
    const links = taskLinks((await analyst.get('/taken').expect(200)).text);
    expect(links).toEqual([
      '/overzichten',
      '/overzichten/lokale-besturen',
      '/cijfers',
      '/overzichten/acties.xlsx',
      '/overzichten/acties.csv',
      '/overzichten/kpi-lijnen.xlsx',
      '/overzichten/lokale-besturen.xlsx',
    ]);
    for (const href of links) await analyst.get(href).expect(200);
    const platform = await signIn(t, 'platform@beheer.demo');
    const platformLinks = taskLinks((await platform.get('/taken').expect(200)).text);
    expect(platformLinks).toEqual(['/beheer/gebruikers', '/beheer/uitgaande-mail']);
    for (const href of platformLinks) await platform.get(href).expect(200);
  });

  it('tells an officer whose local government has no applicant what will appear and when', async () => {
    const [{ id: mechelen }] = await t.dataSource.query(`SELECT id FROM local_government WHERE nis_code = '12025'`);
    await t.app
      .get(UsersService)
      .createWithPassword(actorFor({ id: 0, email: 'x', displayName: 'test', role: 'abb-administrator', localGovernmentId: null }, 'session'), {
        email: 'medewerker@mechelen.test',
        displayName: 'Mieke Mechelen',
        role: 'municipal-officer',
        localGovernmentId: mechelen,
        password: 'een lang wachtwoord voor tests',
      });
    const officer = await signIn(t, 'medewerker@mechelen.test', 'een lang wachtwoord voor tests');
    const page = await officer.get('/taken').expect(200);
    expect(page.text).toContain('id="tasks-empty"');
    expect(page.text).toContain('Er is nu niets voor u te doen');
    expect(page.text).toContain('zodra een oproep opengaat');
    expect(taskLinks(page.text)).toEqual([]);
  });
});

describe('Mijn taken after review: decisions, reports due, runs to publish (issue 25)', () => {
  let f: Factories;
  let fx: AllocationFixture;
  const officerEmail = (nisCode: string | null) => `medewerker-${nisCode}@service.test`;
  beforeAll(async () => {
    // Before the interim report's deadline of the factories' call (6 May 2024) and outside every reference call's window.
    f = await startFactories({ http: true, now: new Date('2024-03-01T09:00:00Z') });
    await f.actors.reviewer();
  });
  afterAll(() => f?.close());

  it('shows the reviewer the empty state while nothing waits', async () => {
    const reviewer = await signIn(f, 'beoordelaar@service.test', 'een lang wachtwoord voor tests');
    const page = await reviewer.get('/taken').expect(200);
    expect(page.text).toContain('id="tasks-empty"');
    expect(page.text).toContain('Hier verschijnen ingediende aanvragen (oudste eerst) zodra een lokaal bestuur indient');
  });

  it('shows the officer the decision letter and the reports due with their deadline; another officer sees none of it', async () => {
    fx = await threeApprovedAndOnePending(f);
    const officerA = await signIn(f, officerEmail(fx.a.applicant.lead.nisCode), 'een lang wachtwoord voor tests');
    const page = await officerA.get('/taken').expect(200);
    expect(page.text).toContain('Beslissingen en brieven');
    expect(page.text).toContain('Rapporten in te dienen');
    expect(page.text).toMatch(
      /Tussentijds rapport van [^<]+<\/a>\s*<br><span class="govuk-body-s">In te dienen tegen \d+ \w+ \d{4} \d\d:\d\d \(Brusselse tijd\)\./,
    );
    const links = taskLinks(page.text);
    expect(links).toEqual(expect.arrayContaining([`/aanvragen/${fx.a.id}/beslissingsbrief`, `/aanvragen/${fx.a.id}/rapporten/interim`]));
    for (const href of links) await follow(officerA, href);
    expect(links.some((href) => href.includes(`/aanvragen/${fx.b.id}`))).toBe(false);
    expect(page.text).not.toContain(fx.b.applicant.nameNl);
  });

  it('shows the reviewer the submitted application and a run to publish after a simulation', async () => {
    const reviewer = await signIn(f, 'beoordelaar@service.test', 'een lang wachtwoord voor tests');
    const token = await f.bearer(await f.actors.reviewer());
    const run = await request(f.http)
      .post(`/api/v1/calls/${fx.call.year}/allocation-runs`)
      .set({ Authorization: `Bearer ${token}` })
      .send({})
      .expect(201);
    const page = await reviewer.get('/taken').expect(200);
    const links = taskLinks(page.text);
    expect(links[0]).toBe(`/aanvragen/${fx.d.id}`);
    expect(links).toContain(`/verdelingen/${run.body.id}`);
    expect(page.text).toContain('Verdelingen te publiceren');
    for (const href of links) await follow(reviewer, href);
  });

  it('shows a publication proposed by the reviewer to the administrator, who approves it (four eyes), not to the proposer', async () => {
    const token = await f.bearer(await f.actors.reviewer());
    const [{ id: runId }] = await f.dataSource.query(`SELECT max(id) AS id FROM allocation_run`);
    const proposal = await request(f.http)
      .post(`/api/v1/allocation-runs/${runId}/publish`)
      .set({ Authorization: `Bearer ${token}` })
      .send({ confirmPendingReview: true, reason: 'D wordt later beoordeeld.' })
      .expect(201);
    await f.actors.administrator();
    const admin = await signIn(f, 'beheerder@service.test', 'een lang wachtwoord voor tests');
    const page = await admin.get('/taken').expect(200);
    expect(page.text).toContain('Voorstellen die op een tweede goedkeuring wachten');
    expect(page.text).toContain('Voorgesteld door Bart Beoordelaar (ABB)');
    expect(taskLinks(page.text)[0]).toBe(`/voorstellen/${proposal.body.id}`);
    await follow(admin, `/voorstellen/${proposal.body.id}`);
    const proposer = await signIn(f, 'beoordelaar@service.test', 'een lang wachtwoord voor tests');
    expect((await proposer.get('/taken').expect(200)).text).not.toContain(`/voorstellen/${proposal.body.id}`);
  });
});
