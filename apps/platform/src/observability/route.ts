import { Request } from 'express';

const ROUTE = Symbol('requestRoute');
type Named = Request & { [ROUTE]?: string };

/** Names the route of a request handled outside Nest's router (/metrics), for its log line and metrics. */
export function nameRoute(req: Request, route: string): void {
  (req as Named)[ROUTE] = route;
}

/**
 * The route pattern that served the request (`/api/v1/applicants/:id`), never the address itself: no ids, no query
 * string. A request no route took (404s, bodies refused before routing) is `unmatched`.
 */
export function routeOf(req: Request): string {
  const path: unknown = req.route?.path;
  if (typeof path === 'string') return path;
  const named = (req as Named)[ROUTE];
  if (named) return named;
  return req.originalUrl?.startsWith('/assets/govuk/') ? '/assets/govuk/*' : 'unmatched';
}
