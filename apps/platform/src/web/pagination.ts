import { Page } from '@ps/kernel';

interface PageLink {
  number?: number;
  href?: string;
  current?: boolean;
  ellipsis?: boolean;
}

/** The page links of views/partials/pagination.hbs (GOV.UK pagination): the first, the last, the current one and its neighbours. */
export function paginationView(page: Omit<Page<unknown>, 'items'>, path: string, query: Record<string, unknown>) {
  const hrefOf = (number: number) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (key !== 'page' && value !== undefined && value !== null && value !== '') params.set(key, String(value));
    }
    if (number > 1) params.set('page', String(number));
    const text = params.toString();
    return text ? `${path}?${text}` : path;
  };
  const shown = [...new Set([1, page.page - 1, page.page, page.page + 1, page.pages])].filter((n) => n >= 1 && n <= page.pages).sort((a, b) => a - b);
  const links: PageLink[] = [];
  for (const number of shown) {
    const previous = links.at(-1)?.number;
    if (previous !== undefined && number > previous + 1) links.push({ ellipsis: true });
    links.push({ number, href: hrefOf(number), current: number === page.page });
  }
  const first = page.total === 0 ? 0 : (page.page - 1) * page.pageSize + 1;
  return {
    show: page.pages > 1,
    previous: page.page > 1 ? hrefOf(Math.min(page.page - 1, page.pages)) : undefined,
    next: page.page < page.pages ? hrefOf(page.page + 1) : undefined,
    links,
    // "1 tot 50 van 1.323": what this page shows of the whole list
    first: first.toLocaleString('nl-BE'),
    last: Math.min(page.total, page.page * page.pageSize).toLocaleString('nl-BE'),
    total: page.total.toLocaleString('nl-BE'),
    // past the last page there is nothing to show (not "4.901 tot 287 van 287")
    any: page.total > (page.page - 1) * page.pageSize,
  };
}
