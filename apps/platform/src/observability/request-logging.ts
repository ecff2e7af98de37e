import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { NestExpressApplication } from '@nestjs/platform-express';
import { NextFunction, Request, Response } from 'express';
import { storage, Store } from 'nestjs-pino/storage';
import { Logger } from 'pino';
import { PlatformConfig } from '@ps/config';
import { serveMetrics } from './metrics-endpoint';
import { PlatformMetrics } from './metrics';
import { ROOT_LOGGER } from './logging';
import { routeOf } from './route';

/** An incoming request id is taken only when it is this short and plain; otherwise the platform makes one. */
export const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const STARTED = Symbol('requestStartedAt');
type Observed = Request & { [STARTED]?: number };

/** Whether Express trusts the peer as a proxy ('trust proxy', set with COOKIE_SECURE: see configure-auth.ts). */
function fromTrustedProxy(req: Request): boolean {
  const trusts = req.app?.get('trust proxy fn') as ((address: string | undefined, hop: number) => boolean) | undefined;
  return !!trusts?.(req.socket.remoteAddress, 0);
}

/** The proxy's X-Request-Id when the peer is a trusted proxy and the id is plain; a new UUID otherwise. */
export function requestIdOf(req: Request): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) && fromTrustedProxy(req) ? incoming : randomUUID();
}

/** The one line a request leaves: who (user id and role, nothing more), what route, how it ended and how long it took. */
function requestLine(message: IncomingMessage, res: ServerResponse): Record<string, unknown> {
  const req = message as Observed;
  const user = req.user as { id?: number; role?: string } | undefined;
  const started = req[STARTED];
  return {
    method: req.method,
    route: routeOf(req),
    status: res.statusCode,
    durationMs: started === undefined ? null : Math.round((performance.now() - started) * 10) / 10,
    userId: req.actor?.userId ?? user?.id ?? null,
    role: req.actor?.role ?? user?.role ?? null,
    ...(res.writableFinished ? {} : { aborted: true }),
  };
}

/** The level of a request's line: 503 is an answer the platform chose (busy, database away, not ready), with Retry-After; any other 5xx is a fault. */
const levelOf = (status: number) => (status === 503 ? 'warn' : status >= 500 ? 'error' : 'info');

/**
 * The first middleware: gives the request its id (X-Request-Id), logs one line when it ends (only the fields of
 * requestLine: no headers, address, query string or body) and times it for the metrics. req.log is the request's
 * logger, with its id, and so is Nest's Logger during the request. Then /metrics, when it is served on PORT.
 * Not pino-http: it builds a child logger bound to the whole request object for every request, which this platform
 * never logs, and that cost about a twentieth of the CPU of a small page.
 */
export function observeRequests(app: NestExpressApplication, config: PlatformConfig): void {
  const metrics = app.get(PlatformMetrics);
  const root = app.get<Logger>(ROOT_LOGGER);
  app.use((req: Observed, res: Response, next: NextFunction) => {
    const started = (req[STARTED] = performance.now());
    const requestId = requestIdOf(req);
    res.setHeader('X-Request-Id', requestId);
    const log = root.child({ requestId });
    req.log = log;
    let logged = false;
    // 'finish' when the answer was sent, 'close' alone when the client went away first: one line either way.
    const ended = () => {
      if (logged) return;
      logged = true;
      const status = res.statusCode;
      // The error itself is logged with its stack where it was caught (http-exception.filter.ts).
      log[levelOf(status)](requestLine(req, res), status >= 500 ? 'request failed' : 'request completed');
    };
    res.once('finish', () => {
      metrics.observeRequest(req.method, routeOf(req), res.statusCode, (performance.now() - started) / 1000);
      ended();
    });
    res.once('close', ended);
    // What Nest's Logger logs while the request runs carries its id: nestjs-pino reads the request's logger from its
    // AsyncLocalStorage, which its own middleware would fill (observability.module.ts says why that one is off).
    storage.run(new Store(log), next);
  });
  if (config.METRICS_TOKEN) app.use(serveMetrics(metrics, config.METRICS_TOKEN));
}
