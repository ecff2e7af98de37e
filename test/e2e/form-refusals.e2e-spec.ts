import { csrfOf, signIn } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

/** A page shows a refusal with the refusal's own status (409 for a conflict, as the API answers), next to its field, and changes nothing. */
describe('form refusals take their status from the refusal', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('answers 409 when a new account would take an e-mail address that is taken, with the message at the field', async () => {
    const admin = await signIn(t, 'beheerder@abb.demo');
    const before = await snapshot(t.dataSource, ['app_user']);
    const res = await admin
      .post('/beheer/gebruikers')
      .type('form')
      .send({ _csrf: await csrfOf(admin, '/beheer/gebruikers/nieuw'), email: 'MEDEWERKER@gent.demo', displayName: 'Dubbel', role: 'abb-reviewer' })
      .expect(409);
    expect(res.text).toContain('Er bestaat al een account met dit e-mailadres.');
    expect(res.text).toMatch(/href="#email"/);
    expect(await snapshot(t.dataSource, ['app_user'])).toEqual(before);
  });

  it('answers 409 when a partner of the assortment would take a KBO number that is taken, and 422 for invalid input', async () => {
    const admin = await signIn(t, 'beheerder@abb.demo');
    const send = async (fields: Record<string, string>, status: number) =>
      admin
        .post('/beheer/partners')
        .type('form')
        .send({ _csrf: await csrfOf(admin, '/beheer/partners'), offer: 'free', actionNumbers: '5', ...fields })
        .expect(status);
    await send({ name: 'Eerste partner', kboNumber: '0207.437.468' }, 303);
    const before = await snapshot(t.dataSource, ['partner']);
    const taken = await send({ name: 'Tweede partner', kboNumber: '0207437468' }, 409);
    expect(taken.text).toContain('staat al met dit KBO-nummer in het aanbod.');
    await send({ name: 'X' }, 422);
    expect(await snapshot(t.dataSource, ['partner'])).toEqual(before);
  });
});
