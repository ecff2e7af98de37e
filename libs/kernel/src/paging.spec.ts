import fc from 'fast-check';
import { DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, pageBounds, pageOf } from './paging';

describe('paging', () => {
  it('defaults to the first page of DEFAULT_PAGE_SIZE rows', () => {
    expect(pageBounds()).toEqual({ page: 1, pageSize: DEFAULT_PAGE_SIZE, offset: 0, limit: DEFAULT_PAGE_SIZE });
    expect(pageBounds({ page: 3, pageSize: 20 })).toEqual({ page: 3, pageSize: 20, offset: 40, limit: 20 });
  });

  it('refuses a page or size out of bounds (the DTO refuses them first, with a message per field)', () => {
    for (const request of [{ page: 0 }, { page: 1.5 }, { page: MAX_PAGE + 1 }, { pageSize: 0 }, { pageSize: MAX_PAGE_SIZE + 1 }, { pageSize: NaN }]) {
      expect(() => pageBounds(request)).toThrow(RangeError);
    }
  });

  it('cuts a list in memory: the last page is partial, a page past the end is empty, the total and the page count stay', () => {
    const rows = Array.from({ length: 45 }, (_, i) => i);
    expect(pageOf(rows, { page: 3, pageSize: 20 })).toEqual({ items: [40, 41, 42, 43, 44], page: 3, pageSize: 20, total: 45, pages: 3 });
    expect(pageOf(rows, { page: 4, pageSize: 20 })).toEqual({ items: [], page: 4, pageSize: 20, total: 45, pages: 3 });
    expect(pageOf([], {})).toEqual({ items: [], page: 1, pageSize: DEFAULT_PAGE_SIZE, total: 0, pages: 1 });
  });

  it('walks every row exactly once, in order, over the pages', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 300 }), fc.integer({ min: 1, max: MAX_PAGE_SIZE }), (rows, pageSize) => {
        const first = pageOf(rows, { pageSize });
        const all = Array.from({ length: first.pages }, (_, i) => pageOf(rows, { page: i + 1, pageSize }).items).flat();
        expect(all).toEqual(rows);
        expect(first.total).toBe(rows.length);
      }),
    );
  });
});
