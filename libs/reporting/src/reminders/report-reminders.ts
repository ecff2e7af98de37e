import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { DataSource, EntityManager } from 'typeorm';
import { ApplicantReadModel } from '@ps/applicants';
import { ApprovedCommitments } from '@ps/applications';
import { CatalogueRepository } from '@ps/catalogue';
import { PlatformConfig } from '@ps/config';
import { inTransaction } from '@ps/database';
import { OfficersReadModel } from '@ps/identity';
import { BRUSSELS, Clock } from '@ps/kernel';
import { SCHEDULED_JOB_RUNS, ScheduledJobRuns } from '@ps/kernel';
import { MailDelivery, Recipient } from '@ps/notifications';
import { reminderDue, REMINDER_HORIZON_DAYS } from './reminder-schedule';
import { reminderMail } from './reminder-mail';
import { ReportKind } from '../report.dto';
import { RemindersRepository } from './reminders.repository';

export interface ReminderRun {
  /** Reminders sent by this run (one per report and stage, to all its officers). */
  sent: number;
  /** 'locked': another instance (transaction) was running the reminders, so this run did nothing. */
  skipped: 'locked' | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A report of an approved application not (yet) submitted, with a deadline ahead. */
interface MissingReport {
  applicationId: number;
  applicantId: number;
  callNameNl: string;
  kind: ReportKind;
  dueAt: Date;
}

/**
 * Issue 11: mails the officers of an approved application's member local governments while its interim or final
 * report is missing, 14 days and 3 days before the deadline and on the day itself (Brussels calendar days; for
 * the catch-up of a missed day see reminder-schedule.ts).
 *
 * One run is one transaction that first takes an advisory lock: with several platform instances the first one runs,
 * the others skip. Each reminder is recorded in report_reminder (its primary key: never twice) in a savepoint,
 * together with its mail in the outbox; the outbox's worker (libs/notifications NoticeWorker) sends it after the commit,
 * exactly once, and tries again while the mail server refuses (issue 25).
 */
@Injectable()
export class ReportReminders {
  private readonly logger = new Logger('ReportReminders');

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: RemindersRepository,
    private readonly applicants: ApplicantReadModel,
    private readonly catalogue: CatalogueRepository,
    private readonly commitments: ApprovedCommitments,
    private readonly officers: OfficersReadModel,
    private readonly delivery: MailDelivery,
    private readonly config: PlatformConfig,
    private readonly clock: Clock,
    @Optional() @Inject(SCHEDULED_JOB_RUNS) private readonly runs?: ScheduledJobRuns,
  ) {}

  /** Every day at 07:00 Brussels time, unless REMINDERS_ENABLED is off (it is off by default in tests, which call run()). */
  @Cron('0 7 * * *', { name: 'report-reminders', timeZone: BRUSSELS, waitForCompletion: true })
  async daily(): Promise<void> {
    if (!this.config.remindersEnabled) return;
    try {
      const { sent, skipped } = await this.run();
      this.runs?.ran('report-reminders', 'succeeded');
      if (skipped) this.logger.log('Report reminders skipped: another instance is sending them.');
      else this.logger.log(`Report reminders sent: ${sent}.`);
    } catch (error) {
      this.runs?.ran('report-reminders', 'failed');
      this.logger.error(`Report reminders failed: ${(error as Error).message}`, (error as Error).stack);
    }
  }

  /** Sends the reminders due now that were not sent yet. */
  run(): Promise<ReminderRun> {
    const now = this.clock.now();
    return inTransaction(this.dataSource, async (manager) => {
      if (!(await this.repository.tryLock(manager))) return { sent: 0, skipped: 'locked' };
      const missing = await this.missingReports(manager, now, new Date(now.getTime() + REMINDER_HORIZON_DAYS * DAY_MS));
      let sent = 0;
      for (const report of missing) {
        const due = reminderDue(now, report.dueAt);
        if (!due) continue;
        const recipients = await this.officersOf(manager, report.applicantId);
        if (recipients.length === 0) {
          // Not recorded: an officer account made later within the window still gets it.
          this.logger.warn(`No active officer to remind of the ${report.kind} report of application ${report.applicationId}.`);
          continue;
        }
        await this.repository.savepoint(manager);
        try {
          if (!(await this.repository.claim(manager, report.applicationId, report.kind, due.stage, now))) {
            await this.repository.releaseSavepoint(manager);
            continue;
          }
          await this.delivery.deliver(manager, {
            to: recipients,
            eventKey: `report-reminder:${report.applicationId}:${report.kind}:${due.stage}`,
            link: `/aanvragen/${report.applicationId}/rapporten/${report.kind}`,
            ...(await this.mailFor(manager, report, due)),
          });
          await this.repository.releaseSavepoint(manager);
          sent++;
        } catch (error) {
          await this.repository.rollbackToSavepoint(manager);
          this.logger.error(
            `Reminder (${report.kind}, ${due.stage} days) for application ${report.applicationId} not sent, the next run tries again: ${(error as Error).message}`,
          );
          break;
        }
      }
      return { sent, skipped: null };
    });
  }

  /**
   * The interim and final reports of approved applications that have no submitted or accepted version, whose deadline
   * lies after `now` and at or before `until`: a draft or a returned report is still missing. By deadline, application
   * and kind. The deadlines come from the catalogue, the approved applications from the applications lib.
   */
  private async missingReports(manager: EntityManager, now: Date, until: Date): Promise<MissingReport[]> {
    const deadlines = await this.catalogue.reportDeadlinesBetween(manager, now, until);
    if (deadlines.length === 0) return [];
    const approved = await this.commitments.approvedIn(manager, [...new Set(deadlines.map((d) => d.callId))]);
    const handedIn = await this.repository.handedIn(
      manager,
      approved.map((a) => a.applicationId),
    );
    return deadlines
      .flatMap((deadline) =>
        approved
          .filter((a) => a.callId === deadline.callId && !handedIn.has(`${a.applicationId}:${deadline.kind}`))
          .map((a) => ({
            applicationId: a.applicationId,
            applicantId: a.applicantId,
            callNameNl: deadline.callNameNl,
            kind: deadline.kind,
            dueAt: deadline.dueAt,
          })),
      )
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.applicationId - b.applicationId || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  }

  /** The addresses of the active officers of the applicant's member local governments (not of invited ones). */
  private async officersOf(manager: EntityManager, applicantId: number): Promise<Recipient[]> {
    const members = (await this.applicants.membersWithState(manager, applicantId)).filter((m) => m.state === 'member').map((m) => m.localGovernmentId);
    return (await this.officers.activeOfficers(manager, members)).map((officer) => ({ email: officer.email, userId: officer.userId }));
  }

  private async mailFor(manager: EntityManager, report: MissingReport, due: NonNullable<ReturnType<typeof reminderDue>>) {
    const applicant = await this.applicants.one(manager, report.applicantId);
    return reminderMail({
      applicationId: report.applicationId,
      applicantNameNl: applicant?.nameNl ?? '',
      callNameNl: report.callNameNl,
      kind: report.kind,
      dueAt: report.dueAt,
      stage: due.stage,
      daysLeft: due.daysLeft,
      publicUrl: this.config.publicUrl,
    });
  }
}
