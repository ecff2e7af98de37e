import request from 'supertest';
import { INestApplication } from '@nestjs/common';
import { ProposalsService, PublishDto } from '@ps/allocation';
import { Actor } from '@ps/identity';

type Http = Parameters<typeof request>[0];
const as = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * Four eyes in tests: one ABB person proposes, another approves (bearer tokens of two different users).
 * Each helper expects every step to succeed and answers the approved proposal.
 */
export async function approveAs(http: Http, proposalId: number, approver: string) {
  const { version } = (await request(http).get(`/api/v1/proposals/${proposalId}`).set(as(approver)).expect(200)).body;
  return (await request(http).post(`/api/v1/proposals/${proposalId}/approve`).set(as(approver)).send({ version }).expect(200)).body;
}

/** Publishes a run: proposed by `proposer`, approved by `approver`. */
export async function publishByTwo(http: Http, runId: number, body: object, proposer: string, approver: string) {
  const proposal = (await request(http).post(`/api/v1/allocation-runs/${runId}/publish`).set(as(proposer)).send(body).expect(201)).body;
  return approveAs(http, proposal.id, approver);
}

/** Releases a run's payment list: proposed by `proposer`, approved by `approver`. */
export async function releaseByTwo(http: Http, runId: number, proposer: string, approver: string) {
  const proposal = (await request(http).post(`/api/v1/allocation-runs/${runId}/payments/release`).set(as(proposer)).expect(201)).body;
  return approveAs(http, proposal.id, approver);
}

/** The same at the service tier, for tests without HTTP. */
export async function publishByTwoActors(app: Pick<INestApplication, 'get'>, runId: number, body: PublishDto, proposer: Actor, approver: Actor) {
  const proposals = app.get(ProposalsService);
  const proposal = await proposals.proposePublication(proposer, runId, body);
  return proposals.approve(approver, proposal.id, { version: proposal.version });
}
