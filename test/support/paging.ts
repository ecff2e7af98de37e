import request from 'supertest';

/** A paged answer: its page numbers, and its items under `items` (or another key) with whatever else it carries. */
export type PagedAnswer = { page: number; pageSize: number; total: number; pages: number; [field: string]: unknown };

/**
 * Every page of a paged API answer (`{ items, page, pageSize, total, pages }`) for `path` at `pageSize`, in order. Each
 * later page must name the first page's total and page count (and the fields in `same`, which a page repeats whole)
 * and hold at most `pageSize` items. `first` is the first page's whole answer, `all` the items of every page.
 */
export async function walkPages<T = unknown>(
  http: Parameters<typeof request>[0],
  path: string,
  pageSize: number,
  { headers = {}, key = 'items', same = [] }: { headers?: Record<string, string>; key?: string; same?: string[] } = {},
): Promise<{ first: PagedAnswer; all: T[] }> {
  const at = async (page: number): Promise<PagedAnswer> =>
    (
      await request(http)
        .get(`${path}${path.includes('?') ? '&' : '?'}pageSize=${pageSize}&page=${page}`)
        .set(headers)
        .expect(200)
    ).body;
  const first = await at(1);
  const all = [...(first[key] as T[])];
  for (let page = 2; page <= first.pages; page += 1) {
    const body = await at(page);
    expect(body).toMatchObject({ page, pageSize, total: first.total, pages: first.pages, ...Object.fromEntries(same.map((field) => [field, first[field]])) });
    expect((body[key] as T[]).length).toBeLessThanOrEqual(pageSize);
    all.push(...(body[key] as T[]));
  }
  return { first, all };
}
