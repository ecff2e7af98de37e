import cluster from 'node:cluster';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { PlatformConfig } from '@ps/config';
import { poolStats } from '@ps/database';
import { ScheduledJobRuns } from '@ps/kernel';
import { ObservabilityReadModel } from './observability.read-model';
import { withTimeout } from './timeout';

/** The scheduled jobs there are; each has its series from the start, at 0. */
const JOBS = ['report-reminders', 'mail-delivery'];
/** A scrape does not wait longer than this for the outbox count; the gauge is left out instead. */
const QUERY_TIMEOUT_MS = 1_000;

/**
 * The platform's Prometheus metrics, in a registry of this application's own (not prom-client's global one, so that one
 * process can hold several applications, as the tests do). Families: docs/deployment.md ("Metrics").
 */
@Injectable()
export class PlatformMetrics implements ScheduledJobRuns {
  readonly registry = new Registry();
  private readonly requests: Histogram<'method' | 'route' | 'status_class'>;
  private readonly jobRuns: Counter<'job'>;
  private readonly jobFailures: Counter<'job'>;
  private readonly jobLastSuccess: Gauge<'job'>;

  constructor(@InjectDataSource() dataSource: DataSource, readModel: ObservabilityReadModel, config: PlatformConfig) {
    const registers = [this.registry];
    if (cluster.isWorker) this.registry.setDefaultLabels({ worker: String(cluster.worker!.id) });
    collectDefaultMetrics({ register: this.registry });

    this.requests = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from a request arriving to its answer being sent, per route pattern and status class',
      labelNames: ['method', 'route', 'status_class'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });

    const database = config.embedded ? 'embedded' : 'server';
    new Gauge({
      name: 'db_pool_connections',
      help: 'Connections of the database pool: all open ones (total) and the unused ones (idle); the embedded database has one',
      labelNames: ['database', 'state'],
      registers,
      collect() {
        this.reset();
        const stats = poolStats(dataSource);
        if (!stats) return;
        this.set({ database, state: 'total' }, stats.total);
        this.set({ database, state: 'idle' }, stats.idle);
      },
    });
    new Gauge({
      name: 'db_pool_waiting',
      help: 'Callers waiting for a connection of the database pool (the embedded database: requests in its queue)',
      labelNames: ['database'],
      registers,
      collect() {
        this.reset();
        const stats = poolStats(dataSource);
        if (stats) this.set({ database }, stats.waiting);
      },
    });
    if (config.embedded) {
      new Counter({
        name: 'db_queue_acquisitions_total',
        help: 'Turns of the embedded database connection handed out since the start',
        registers,
        collect() {
          const waits = poolStats(dataSource)?.waits;
          if (!waits) return;
          this.reset();
          this.inc(waits.acquired);
        },
      });
      new Counter({
        name: 'db_queue_wait_seconds_total',
        help: 'Seconds spent waiting in the embedded database queue since the start (divide by the acquisitions for the mean wait)',
        registers,
        collect() {
          const waits = poolStats(dataSource)?.waits;
          if (!waits) return;
          this.reset();
          this.inc(waits.seconds);
        },
      });
    }

    this.jobRuns = new Counter({ name: 'scheduled_job_runs_total', help: 'Runs of a scheduled job, failed ones included', labelNames: ['job'], registers });
    this.jobFailures = new Counter({ name: 'scheduled_job_failures_total', help: 'Runs of a scheduled job that failed', labelNames: ['job'], registers });
    this.jobLastSuccess = new Gauge({
      name: 'scheduled_job_last_success_timestamp_seconds',
      help: 'When a scheduled job last ended without failing (Unix time)',
      labelNames: ['job'],
      registers,
    });
    for (const job of JOBS) {
      this.jobRuns.inc({ job }, 0);
      this.jobFailures.inc({ job }, 0);
    }

    new Gauge({
      name: 'mail_outbox_messages',
      help: 'Mails put in the outbox in the last 24 hours; absent when the database does not answer',
      labelNames: ['created_within'],
      registers,
      async collect() {
        this.reset();
        try {
          this.set({ created_within: '24h' }, await withTimeout(readModel.outboxLastDay(), QUERY_TIMEOUT_MS));
        } catch {
          // No value rather than a stale one or a failed scrape: the database's own state shows in /ready.
        }
      },
    });
    new Gauge({
      name: 'mail_outbox_waiting',
      help: 'Mails in the outbox waiting for SMTP (new or to be retried); absent when the database does not answer',
      registers,
      async collect() {
        this.reset();
        try {
          this.set(await withTimeout(readModel.outboxWaiting(), QUERY_TIMEOUT_MS));
        } catch {
          // As above.
        }
      },
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe({ method, route, status_class: `${Math.floor(status / 100)}xx` }, seconds);
  }

  ran(job: string, outcome: 'succeeded' | 'failed'): void {
    this.jobRuns.inc({ job });
    if (outcome === 'failed') this.jobFailures.inc({ job });
    else this.jobLastSuccess.set({ job }, Date.now() / 1000);
  }
}
