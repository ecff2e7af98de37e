import { RowList } from './column-rows';

/**
 * Paging of lists that grow with the programme (issue 27): a page number from 1 and a page size with a bounded default,
 * so no page or API answer carries a whole table. The streamed exports (CSV, Excel) stay whole.
 */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** Beyond this a page number is a typing error, not a page: 1,000,000 rows at the largest page size. */
export const MAX_PAGE = 5000;

export interface PageRequest {
  page?: number;
  pageSize?: number;
}

/** One page of a list, with what a client needs to ask for the others. */
export interface Page<T> {
  items: T[];
  /** The page asked for, from 1; past the last page `items` is empty. */
  page: number;
  pageSize: number;
  /** Every item of the list, over all pages. */
  total: number;
  /** The number of pages, at least 1. */
  pages: number;
}

/** The page and size a request asks for, the defaults filled in, and the rows to skip and take. */
export function pageBounds(request: PageRequest = {}): { page: number; pageSize: number; offset: number; limit: number } {
  const page = request.page ?? 1;
  const pageSize = request.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) throw new RangeError(`page ${page} out of bounds`);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw new RangeError(`pageSize ${pageSize} out of bounds`);
  return { page, pageSize, offset: (page - 1) * pageSize, limit: pageSize };
}

/** The page of a list that is already in memory (a computed overview); `total` is the list's length. */
export function pageOf<T>(rows: RowList<T>, request: PageRequest = {}): Page<T> {
  const { page, pageSize, offset, limit } = pageBounds(request);
  return withTotal(rows.slice(offset, offset + limit), rows.length, page, pageSize);
}

/** A page a query already cut (LIMIT/OFFSET), with the total it counted. */
export function withTotal<T>(items: T[], total: number, page: number, pageSize: number): Page<T> {
  return { items, page, pageSize, total, pages: Math.max(1, Math.ceil(total / pageSize)) };
}
