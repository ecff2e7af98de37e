import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { PlatformConfig } from '@ps/config';
import { PlatformMetrics } from './metrics';
import { nameRoute } from './route';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * GET /metrics on PORT for a caller with `Authorization: Bearer <METRICS_TOKEN>`; 401 without detail otherwise. Served
 * before sessions and the access guard: the token is no API token, and a scrape needs no session.
 */
export function serveMetrics(metrics: PlatformMetrics, token: string) {
  const expected = digest(token);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    nameRoute(req, '/metrics');
    res.setHeader('Cache-Control', 'no-store');
    const given = /^Bearer (\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer').end();
      return;
    }
    metrics.registry.metrics().then((text) => res.type(metrics.registry.contentType).send(text), next);
  };
}

/** With METRICS_PORT: /metrics without a token on that port, on 127.0.0.1 only. */
@Injectable()
export class MetricsPort implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server?: Server;

  constructor(
    private readonly config: PlatformConfig,
    private readonly metrics: PlatformMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.METRICS_PORT;
    if (port === undefined) return;
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') return void res.writeHead(404).end();
      this.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': this.metrics.registry.contentType, 'Cache-Control': 'no-store' }).end(text),
        (error: Error) => {
          this.logger.error(`metrics failed: ${error.message}`, error.stack);
          res.writeHead(500).end();
        },
      );
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
    this.server = server;
    this.logger.log(`Metrics on http://127.0.0.1:${port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
