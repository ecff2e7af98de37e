import request from 'supertest';
import { MAX_PAGE_SIZE } from '@ps/kernel';
import type { CoverageRow } from '@ps/applicants';
import { walkPages } from './paging';

/** The whole coverage overview of `GET /api/v1/eligibility?<query>` (paged since issue 27): every page at the largest size, in order. */
export async function wholeCoverage(http: Parameters<typeof request>[0], query: string, headers: Record<string, string>): Promise<CoverageRow[]> {
  return (await walkPages<CoverageRow>(http, `/api/v1/eligibility?${query}`, MAX_PAGE_SIZE, { headers })).all;
}
