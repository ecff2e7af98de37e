import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PlatformConfig } from '@ps/config';
import { sqlIdentifier } from './sql-identifier';

export interface NotificationListener {
  /** A notification arrived on the channel. */
  notified(): void;
  /** Whether notifications reach this process now: false while the listening connection is down. */
  listening(live: boolean): void;
}

const RECONNECT_MS = 2_000;

/**
 * PostgreSQL notifications (LISTEN) for in-process caches of what another process may change: on a server,
 * one dedicated connection per process; on the embedded database, its one session.
 */
@Injectable()
export class DatabaseNotifications implements OnModuleDestroy {
  private readonly logger = new Logger(DatabaseNotifications.name);
  private client: Client | null = null;
  private readonly listeners = new Map<string, NotificationListener[]>();
  private stopped = false;

  constructor(
    private readonly config: PlatformConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  listen(channel: string, listener: NotificationListener): void {
    if (!this.config.DATABASE_URL) return this.listenEmbedded(channel, listener);
    listener.listening(false);
    const known = this.listeners.get(channel);
    if (known) return void known.push(listener);
    this.listeners.set(channel, [listener]);
    if (this.client) void this.client.query(`LISTEN ${sqlIdentifier(channel)}`).catch((error) => this.lost(error));
    else void this.connect();
  }

  /** The embedded database is this process's own: its pool listens on the one session. */
  private listenEmbedded(channel: string, listener: NotificationListener): void {
    listener.listening(false);
    const pool = (this.dataSource.driver as unknown as { master: { listen(channel: string, callback: () => void): Promise<void> } }).master;
    pool
      .listen(channel, () => listener.notified())
      .then(
        () => listener.listening(true),
        (error: Error) => this.logger.warn(`cannot listen on the embedded database (${error.message}); caches stay off`),
      );
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.config.DATABASE_URL!, application_name: 'plan-samenleven-listener' });
    this.client = client;
    client.on('notification', (message) => this.listeners.get(message.channel)?.forEach((l) => l.notified()));
    client.on('error', (error) => this.lost(error));
    client.on('end', () => this.lost(new Error('connection ended')));
    try {
      await client.connect();
      for (const channel of this.listeners.keys()) await client.query(`LISTEN ${sqlIdentifier(channel)}`);
      // Whatever changed while nobody listened: the caches start afresh.
      this.each((l) => (l.notified(), l.listening(true)));
    } catch (error) {
      this.lost(error);
    }
  }

  private lost(error: unknown): void {
    if (this.stopped || !this.client) return;
    this.client.removeAllListeners();
    void this.client.end().catch(() => undefined);
    this.client = null;
    this.each((l) => l.listening(false));
    this.logger.warn(`database notifications lost (${(error as Error).message}); caches are bypassed until they are back`);
    setTimeout(() => void this.connect(), RECONNECT_MS).unref();
  }

  private each(action: (listener: NotificationListener) => void): void {
    for (const listeners of this.listeners.values()) listeners.forEach(action);
  }
}
