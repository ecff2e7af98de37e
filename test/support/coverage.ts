import request from 'supertest';
import { MAX_PAGE_SIZE } from '@ps/kernel';
import type { CoverageRow } from '@ps/applicants';

/** The whole coverage overview of `GET /api/v1/eligibility?<query>` (paged since issue 27): every page at the largest size, in order. */
export async function wholeCoverage(http: Parameters<typeof request>[0], query: string, headers: Record<string, string>): Promise<CoverageRow[]> {
  const rows: CoverageRow[] = [];
  for (let page = 1, pages = 1; page <= pages; page += 1) {
    const body = (await request(http).get(`/api/v1/eligibility?${query}&pageSize=${MAX_PAGE_SIZE}&page=${page}`).set(headers).expect(200)).body;
    rows.push(...body.items);
    pages = body.pages;
  }
  return rows;
}
