import request from 'supertest';
import { DataSource } from 'typeorm';
import { ApiTokensService, SignedInUser, actorFor } from '@ps/identity';
import { DEMO_PASSWORD } from '@ps/setup';
import { TestApp } from './test-app';

export type Agent = ReturnType<typeof request.agent>;

/** The CSRF token in a rendered form. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token in the page');
  return match[1];
}

/** A browser-like agent (cookie jar) signed in through the sign-in form. */
export async function signIn(t: Pick<TestApp, 'http'>, email: string, password = DEMO_PASSWORD): Promise<Agent> {
  const agent = request.agent(t.http);
  const form = await agent.get('/aanmelden').expect(200);
  await agent
    .post('/aanmelden')
    .type('form')
    .send({ _csrf: csrfFrom(form.text), email, password })
    .expect(303);
  return agent;
}

/** A page's CSRF token for a signed-in agent. */
export async function csrfOf(agent: Agent, path = '/account'): Promise<string> {
  return csrfFrom((await agent.get(path).expect(200)).text);
}

export async function userId(dataSource: DataSource, email: string): Promise<number> {
  const [row] = await dataSource.query(`SELECT id FROM app_user WHERE lower(email) = lower($1)`, [email]);
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}

/** A personal access token for a demo user, issued through the service. */
export async function bearerFor(t: TestApp, email: string, validDays = 30): Promise<string> {
  const [row] = await t.dataSource.query(`SELECT id, email, display_name, role, local_government_id FROM app_user WHERE lower(email) = lower($1)`, [email]);
  const user: SignedInUser = { id: row.id, email: row.email, displayName: row.display_name, role: row.role, localGovernmentId: row.local_government_id };
  const { secret } = await t.app.get(ApiTokensService).issue(actorFor(user, 'session'), 'test', validDays);
  return secret;
}

export async function auditOf(dataSource: DataSource, entityType: string, entityId: number | string) {
  return dataSource.query(`SELECT actor_label, action, before, after FROM audit_event WHERE entity_type = $1 AND entity_id = $2 ORDER BY id`, [
    entityType,
    String(entityId),
  ]);
}
