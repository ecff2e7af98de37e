import request from 'supertest';
import { inTransaction } from '@ps/database';
import { MailDelivery } from '@ps/notifications';
import { bearerFor, csrfFrom, signIn, userId } from '../support/sessions';
import { snapshot, startTestApp, TestApp } from '../support/test-app';

const GENT = 'medewerker@gent.demo';
const LIER = 'medewerker@lier.demo';

/** Issue 25: "Berichten", each user's own notices (page and API), marked read by their reader only. */
describe('messages ("Berichten")', () => {
  let t: TestApp;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await startTestApp();
    for (const email of [GENT, LIER]) {
      const id = await userId(t.dataSource, email);
      await inTransaction(t.dataSource, (manager) =>
        t.app.get(MailDelivery).deliver(manager, {
          to: [{ email, userId: id }],
          subject: `Ontvangen: aanvraag van ${email}`,
          text: `Uw aanvraag is ontvangen.\nVingerafdruk: ${email}`,
          eventKey: `test-message:${id}`,
          link: '/aanvragen',
        }),
      );
      [{ id: ids[email] }] = await t.dataSource.query(`SELECT id FROM mail_outbox WHERE user_id = $1`, [id]);
    }
  });
  afterAll(() => t?.close());

  const api = async (email: string) => ({ Authorization: `Bearer ${await bearerFor(t, email)}` });

  it("lists only the caller's own messages, with the unread count", async () => {
    const res = await request(t.http)
      .get('/api/v1/messages')
      .set(await api(GENT))
      .expect(200);
    expect(res.body.unread).toBe(1);
    expect(res.body.messages).toEqual([
      {
        id: ids[GENT],
        subject: `Ontvangen: aanvraag van ${GENT}`,
        body: `Uw aanvraag is ontvangen.\nVingerafdruk: ${GENT}`,
        link: '/aanvragen',
        createdAt: expect.any(String),
        read: false,
      },
    ]);
    const reviewer = await request(t.http)
      .get('/api/v1/messages')
      .set(await api('beoordelaar@abb.demo'))
      .expect(200);
    expect(reviewer.body).toEqual({ unread: 0, messages: [] });
  });

  it("refuses to mark someone else's message, or a bad id, and changes nothing", async () => {
    const before = await snapshot(t.dataSource, ['mail_outbox']);
    const other = await request(t.http)
      .post(`/api/v1/messages/${ids[GENT]}/read`)
      .set(await api(LIER))
      .expect(404);
    expect(other.body).toMatchObject({ code: 'not_found', message: 'Dit bericht bestaat niet.' });
    const bad = await request(t.http)
      .post('/api/v1/messages/abc/read')
      .set(await api(GENT));
    expect([bad.status, bad.body.errors?.id]).toEqual([expect.any(Number), expect.any(Array)]);
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
    const lier = await signIn(t, LIER);
    const page = await lier.get('/berichten').expect(200);
    await lier
      .post(`/berichten/${ids[GENT]}/gelezen`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(404);
    expect(await snapshot(t.dataSource, ['mail_outbox'])).toEqual(before);
  });

  it('shows the page with the unread count in the header; marking read (no JavaScript) clears it', async () => {
    const gent = await signIn(t, GENT);
    const page = await gent.get('/berichten').expect(200);
    expect(page.text).toContain('1 ongelezen');
    expect(page.text).toContain(`Ontvangen: aanvraag van ${GENT}`);
    expect(page.text).not.toContain(LIER);
    expect(page.text).toContain('href="/aanvragen"');
    const other = await gent.get('/account').expect(200);
    expect(other.text).toContain('1 ongelezen');
    await gent
      .post(`/berichten/${ids[GENT]}/gelezen`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303)
      .expect('Location', `/berichten#bericht-${ids[GENT]}`);
    const after = await gent.get('/berichten').expect(200);
    expect(after.text).not.toContain('ongelezen');
    expect(after.text).not.toContain('Markeer als gelezen');
    const [row] = await t.dataSource.query(`SELECT read_at FROM mail_outbox WHERE id = $1`, [ids[GENT]]);
    expect(row.read_at).not.toBeNull();
    // Marking again is harmless; the API agrees.
    await request(t.http)
      .post(`/api/v1/messages/${ids[GENT]}/read`)
      .set(await api(GENT))
      .expect(204);
    expect(
      (
        await request(t.http)
          .get('/api/v1/messages')
          .set(await api(GENT))
          .expect(200)
      ).body.unread,
    ).toBe(0);
    // Lier's message is still unread.
    expect(
      (
        await request(t.http)
          .get('/api/v1/messages')
          .set(await api(LIER))
          .expect(200)
      ).body.unread,
    ).toBe(1);
  });

  it('an empty list says what will appear', async () => {
    const reviewer = await signIn(t, 'beoordelaar@abb.demo');
    const page = await reviewer.get('/berichten').expect(200);
    expect(page.text).toContain('U hebt nog geen berichten.');
  });
});
