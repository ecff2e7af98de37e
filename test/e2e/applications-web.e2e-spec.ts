import { FixedClock, formatEuro } from '@ps/kernel';
import { csrfFrom, signIn } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

describe('application pages: the action table form, review screen and queue (no JavaScript needed)', () => {
  const clock = new FixedClock(new Date('2024-04-30T10:00:00Z'));
  let t: TestApp;
  let applicantId: number;
  beforeAll(async () => {
    t = await startTestApp({ clock });
    [{ id: applicantId }] = await t.dataSource.query(`SELECT id FROM applicant WHERE name_nl = 'Stad Gent'`);
    await t.dataSource.query(
      `UPDATE applicant SET contact_name = 'Griet', contact_email = 'griet@gent.demo', contact_phone = '+3292665500', payout_iban = 'BE68539007547034' WHERE id = $1`,
      [applicantId],
    );
  });
  afterAll(() => t.close());

  /** Each action of the form in page order: its number, open (a heading) or folded (a closed <details> saying "niet gekozen"). */
  const actionsOf = (html: string) =>
    [...html.matchAll(/<(div|details) class="[^"]*" id="actie-(\d+)"(?: open)?>\s*(?:<h3 class="govuk-heading-m">|<summary[^>]*><span[^>]*>)([^<]*)</g)].map(
      (m) => ({
        number: Number(m[2]),
        open: m[1] === 'div',
        title: m[3],
      }),
    );
  /** The HTML of one action, up to the next action or the stimuli. */
  const actionHtml = (html: string, number: number) => new RegExp(`id="actie-${number}"[^]*?(?=id="actie-\\d+"|id="stimuli")`).exec(html)![0];
  const plannedOf = (html: string, number: number) => [...actionHtml(html, number).matchAll(/name="(planned-\d+)"/g)].map((m) => m[1]);

  it('folds every action of a fresh form as not chosen, opens the ones with a line, and keeps a refused one open', async () => {
    const gent = await signIn(t, 'medewerker@gent.demo');
    const applicantPage = await gent.get(`/aanvragers/${applicantId}`).expect(200);
    const url = (
      await gent
        .post(`/aanvragers/${applicantId}/aanvraag`)
        .type('form')
        .send({ _csrf: csrfFrom(applicantPage.text) })
        .expect(303)
    ).headers.location;
    const fresh = await gent.get(url).expect(200);
    const actions = actionsOf(fresh.text);
    expect(actions).toHaveLength(20);
    expect(actions.filter((a) => a.open)).toEqual([]);
    expect(actions.find((a) => a.number === 9)?.title).toBe('Actie 9: Begeleiding van kansengroepen naar werk (niet gekozen)');
    for (const action of actions) expect(action.title).toMatch(new RegExp(`^Actie ${action.number}: .+ \\(niet gekozen\\)$`));
    // Folded, the fields are still in the form: all 29 lines and a priority per action are posted as before.
    expect(fresh.text.match(/name="planned-\d+"/g)).toHaveLength(29);
    expect(fresh.text.match(/name="priority-\d+"/g)).toHaveLength(20);
    expect(fresh.text).toContain('De prioriteit beslist wat eerst betaald wordt als het budget niet volstaat');
    const version = () => /name="version" value="(\d+)"/.exec(fresh.text)![1];

    // A refused save: action 9 has the refused field, action 10 a valid typed reach; both stay open, the rest folded.
    const [line9] = plannedOf(fresh.text, 9);
    const [line10] = plannedOf(fresh.text, 10);
    const refused = await gent
      .post(url)
      .type('form')
      .send({ _csrf: csrfFrom(fresh.text), version: version(), [line9]: '-4', [line10]: '3' })
      .expect(422);
    expect(actionsOf(refused.text).filter((a) => a.open)).toEqual([
      { number: 9, open: true, title: 'Actie 9: Begeleiding van kansengroepen naar werk' },
      { number: 10, open: true, title: expect.stringMatching(/^Actie 10: /) },
    ]);
    expect(actionHtml(refused.text, 9)).toContain(`id="${line9}-error"`);
    expect(refused.text).toContain(`href="#${line9}"`);

    // Saved, the action with a line is open and the others folded; emptied again, it folds again.
    await gent
      .post(url)
      .type('form')
      .send({ _csrf: csrfFrom(fresh.text), version: version(), [line9]: '4', 'priority-9': '1' })
      .expect(303);
    const saved = await gent.get(url).expect(200);
    expect(
      actionsOf(saved.text)
        .filter((a) => a.open)
        .map((a) => a.number),
    ).toEqual([9]);
    expect(actionsOf(saved.text).filter((a) => !a.open)).toHaveLength(19);
    expect(actionHtml(saved.text, 9)).toContain(`name="${line9}" type="text" inputmode="numeric" value="4"`);
    await gent
      .post(url)
      .type('form')
      .send({ _csrf: csrfFrom(saved.text), version: /name="version" value="(\d+)"/.exec(saved.text)![1], [line9]: '0', 'priority-9': '' })
      .expect(303);
    expect(actionsOf((await gent.get(url).expect(200)).text).filter((a) => a.open)).toEqual([]);
  });

  it('walks an officer through the action table: errors at the top linked to each field, then save and submit', async () => {
    const gent = await signIn(t, 'medewerker@gent.demo');
    const applicantPage = await gent.get(`/aanvragers/${applicantId}`).expect(200);
    const opened = await gent
      .post(`/aanvragers/${applicantId}/aanvraag`)
      .type('form')
      .send({ _csrf: csrfFrom(applicantPage.text) })
      .expect(303);
    const page = await gent.get(opened.headers.location).expect(200);
    expect(actionsOf(page.text).filter((a) => !a.open)).toHaveLength(20);
    const planned = [...page.text.matchAll(/name="(planned-\d+)"/g)].map((m) => m[1]);
    expect(planned).toHaveLength(29);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1];
    const [first, second, third] = planned;
    const before = await snapshot(t.dataSource, ['application_line', 'application_action']);
    const refused = await gent
      .post(opened.headers.location)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version, [first]: '2', [second]: '-4', [third]: '1', 'priority-2': '1', 'priority-5': '1' })
      .expect(422);
    expect(refused.text).toContain(`href="#${first}"`);
    expect(refused.text).toContain(`href="#${second}"`);
    expect(refused.text).toContain('value="-4"');
    // The amounts beside the fields follow what was typed: 1 × the unit amount, and none for 2 (above the maximum) or -4.
    const unitCents = Number(new RegExp(`name="${third}"[^>]*data-unit-cents="(\\d+)"`).exec(refused.text)![1]);
    const shown = (name: string) => new RegExp(`data-contribution-for="${name}">([^<]*)<`).exec(refused.text)![1].replace(/\s/g, ' ');
    expect(shown(third)).toBe(formatEuro(unitCents).replace(/\s/g, ' '));
    expect(unitCents).toBeGreaterThan(0);
    expect([shown(first), shown(second)]).toEqual(['–', '–']);
    expect(await snapshot(t.dataSource, ['application_line', 'application_action'])).toEqual(before);

    await gent
      .post(opened.headers.location)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version, [first]: '1', [second]: '100', 'priority-2': '1', 'priority-5': '2' })
      .expect(303);
    const saved = await gent.get(opened.headers.location).expect(200);
    expect(saved.text).toMatch(/id="total-flemish">€\s31\.000,00/);
    expect(saved.text).toMatch(/id="total-local">€\s31\.000,00/);
    await gent
      .post(`${opened.headers.location}/indienen`)
      .type('form')
      .send({ _csrf: csrfFrom(saved.text), version: /name="version" value="(\d+)"/.exec(saved.text)![1] })
      .expect(303);
    expect((await gent.get(opened.headers.location).expect(200)).text).toContain('De aanvraag is ingediend.');
  });

  it('lets a reviewer find it in the queue, take it in review and approve a lower quantity; the letter follows', async () => {
    const reviewer = await signIn(t, 'beoordelaar@abb.demo');
    const queue = await reviewer.get('/aanvragen?status=ingediend&provincie=Oost-Vlaanderen').expect(200);
    const link = /href="(\/aanvragen\/\d+)">Stad Gent/.exec(queue.text)![1];
    let page = await reviewer.get(link).expect(200);
    await reviewer
      .post(`${link}/behandelen`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version: /name="version" value="(\d+)"/.exec(page.text)![1] })
      .expect(303);
    page = await reviewer.get(link).expect(200);
    const confirmed = [...page.text.matchAll(/name="(confirmed-\d+)" type="text" inputmode="numeric" value="(\d+)"/g)].map((m) => [m[1], m[2]]);
    expect(confirmed).toHaveLength(2);
    const lower = confirmed.find(([, value]) => value === '100')![0];
    const noReason = await reviewer
      .post(`${link}/afwijzen`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version: /name="version" value="(\d+)"/.exec(page.text)![1], reason: ' ' })
      .expect(422);
    expect(noReason.text).toContain('href="#reject-reason"');
    expect(noReason.text).toContain('id="reject-reason-error"');
    const tooHigh = await reviewer
      .post(`${link}/goedkeuren`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version: /name="version" value="(\d+)"/.exec(page.text)![1], [lower]: '101' })
      .expect(422);
    expect(tooHigh.text).toContain(`href="#${lower}"`);
    // The page sends every requested line, prefilled with the requested reach: the reviewer lowers one.
    await reviewer
      .post(`${link}/goedkeuren`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version: /name="version" value="(\d+)"/.exec(page.text)![1], ...Object.fromEntries(confirmed), [lower]: '75' })
      .expect(303);
    const letter = await reviewer.get(`${link}/beslissingsbrief`).expect(200);
    expect([...letter.text.matchAll(/data-cents="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([2_950_000, 2_360_000, 590_000, 2_950_000]);
    await (await signIn(t, 'medewerker@lier.demo')).get(link).expect(404);
  });
});
