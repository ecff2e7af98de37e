import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { PlatformConfig } from '@ps/config';
import { Clock, SCHEDULED_JOB_RUNS, ScheduledJobRuns } from '@ps/kernel';
import { LEASE_SECONDS, nextAttemptAfterFailure } from './delivery-policy';
import { ClaimedMail, MailOutboxRepository } from './mail-outbox.repository';

/**
 * Unless SMTP_URL says otherwise (e.g. `?connectionTimeout=30000`), a mail server that does not answer holds a mail's
 * lease for seconds, not nodemailer's default minutes.
 */
const TIMEOUTS_MS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
/** Besides the nudge after each commit: how often a process looks for mails that wait (a retry, another process's). */
const POLL_MS = 10_000;
const BATCH = 20;

export interface DeliveryRun {
  sent: number;
  failed: number;
}

/**
 * Delivers the outbox's waiting mails over SMTP, exactly once per row. A mail is taken with a lease in one short
 * statement (`FOR UPDATE SKIP LOCKED`: two processes never take the same row; no transaction stays open while SMTP
 * talks, so the embedded database's one connection is not held), sent, then marked sent with its link-bearing text
 * dropped, or given its next attempt (delivery-policy.ts). A process that dies mid-way leaves its mails leased; once the
 * lease ran out, any process takes them again. The one way to a second copy is a process that dies between the SMTP
 * server's acceptance and the row being marked sent; the Message-ID is the row's, so a mail system can tell the copy.
 *
 * Runs after every commit that added mail (MailDelivery), at start (what waited during a restart) and every POLL_MS.
 */
@Injectable()
export class NoticeWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('NoticeWorker');
  private readonly transport: Transporter | null;
  private readonly domain: string;
  private chain: Promise<unknown> = Promise.resolve();
  private queued = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly config: PlatformConfig,
    private readonly outbox: MailOutboxRepository,
    private readonly clock: Clock,
    @Optional() @Inject(SCHEDULED_JOB_RUNS) private readonly runs?: ScheduledJobRuns,
  ) {
    this.transport = config.SMTP_URL ? createTransport(withTimeouts(config.SMTP_URL), { from: config.MAIL_FROM }) : null;
    this.domain = /@([^>\s]+)/.exec(config.MAIL_FROM)?.[1] ?? 'plansamenleven.invalid';
  }

  get viaSmtp(): boolean {
    return this.transport !== null;
  }

  onApplicationBootstrap(): void {
    if (!this.transport) return;
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    this.kick();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.chain.catch(() => undefined);
    this.transport?.close();
  }

  /** Starts a run unless one is waiting to start: that one will see this mail too. */
  kick(): void {
    if (!this.transport || this.stopped || this.queued) return;
    void this.deliverWaiting().catch((error: Error) => {
      if (!this.stopped) this.logger.error(`Mail delivery run failed: ${error.message}`, error.stack);
    });
  }

  /** Delivers every mail whose time has come, after the run that is going (one run at a time in this process). */
  deliverWaiting(): Promise<DeliveryRun> {
    this.queued = true;
    const run = this.chain
      .catch(() => undefined)
      .then(() => {
        this.queued = false;
        return this.runUntilEmpty();
      });
    this.chain = run;
    return run;
  }

  private async runUntilEmpty(): Promise<DeliveryRun> {
    const total: DeliveryRun = { sent: 0, failed: 0 };
    if (this.stopped || !this.transport) return total;
    try {
      for (let batch = await this.claim(); batch.length > 0; batch = await this.claim()) {
        for (const mail of batch) {
          if (await this.send(mail)) total.sent++;
          else total.failed++;
        }
      }
      this.runs?.ran('mail-delivery', total.failed > 0 ? 'failed' : 'succeeded');
      return total;
    } catch (error) {
      this.runs?.ran('mail-delivery', 'failed');
      throw error;
    }
  }

  private claim(): Promise<ClaimedMail[]> {
    return this.stopped ? Promise.resolve([]) : this.outbox.claim(this.clock.now(), LEASE_SECONDS, BATCH);
  }

  private async send(mail: ClaimedMail): Promise<boolean> {
    let info: { rejected?: unknown[] };
    try {
      info = await this.transport!.sendMail({
        to: mail.recipient,
        subject: mail.subject,
        text: mail.delivery_text,
        messageId: `<mail-${mail.id}@${this.domain}>`,
      });
    } catch (caught) {
      const error = caught as Error & { responseCode?: number };
      const retryAt = nextAttemptAfterFailure(this.clock.now(), mail.attempts, error.responseCode);
      await this.outbox.markFailed(mail.id, error.message, retryAt);
      // The row's id, never the address: logs hold no personal data (docs/deployment.md, "Logs").
      this.logger.error(
        `Mail ${mail.id} ("${mail.subject}") not delivered (attempt ${mail.attempts}), ${retryAt ? `next attempt at ${retryAt.toISOString()}` : 'given up'}: ${error.message}`,
      );
      return false;
    }
    if (info.rejected && info.rejected.length > 0) {
      await this.outbox.markFailed(mail.id, 'refused by the mail server', null);
      this.logger.warn(`Mail ${mail.id} ("${mail.subject}") refused by the mail server.`);
      return false;
    }
    await this.outbox.markSent(mail.id, this.clock.now());
    return true;
  }
}

function withTimeouts(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  for (const [key, ms] of Object.entries(TIMEOUTS_MS)) if (!url.searchParams.has(key)) url.searchParams.set(key, String(ms));
  return url.toString();
}
