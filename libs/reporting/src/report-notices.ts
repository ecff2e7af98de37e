import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Application } from '@ps/applications';
import { PlatformConfig } from '@ps/config';
import { OfficersReadModel } from '@ps/identity';
import { MailDelivery, reportReviewedText, reportSubmittedText } from '@ps/notifications';
import { ReportView } from './report-view';
import { REPORT_KIND_NL } from './reporting-rules';

/**
 * Issue 25: a report submitted is told to ABB's reviewers, a report accepted or returned to the lead's officers (who
 * report), each in its step's own transaction (the outbox), once per event and recipient: the event key names the report
 * and a version (the one the submission was based on, the one the review made).
 */
@Injectable()
export class ReportNotices {
  constructor(
    private readonly delivery: MailDelivery,
    private readonly officers: OfficersReadModel,
    private readonly config: PlatformConfig,
  ) {}

  async reviewed(manager: EntityManager, reportId: number, application: Application, after: ReportView): Promise<void> {
    const accepted = after.status === 'accepted';
    const perLine = accepted
      ? []
      : after.lines
          .filter((l) => l.reviewComment)
          .map((l) => ({ label: `Actie ${l.actionNumber} (${l.actionTitleNl}), ${l.unitNl}`, comment: l.reviewComment! }));
    const notice = reportReviewedText(
      {
        applicationId: application.id,
        applicantNameNl: after.applicantNameNl,
        callNameNl: application.callNameNl,
        reportNameNl: REPORT_KIND_NL[after.kind],
        accepted,
        comment: accepted ? null : after.reviewComment,
        perLine,
      },
      this.config.publicUrl,
    );
    const to = (await this.officers.activeOfficers(manager, [application.leadLocalGovernmentId])).map((o) => ({ email: o.email, userId: o.userId }));
    await this.delivery.deliver(manager, {
      to,
      subject: notice.subject,
      text: notice.text,
      link: notice.link,
      eventKey: `${accepted ? 'report-accepted' : 'report-returned'}:${reportId}:${after.version}`,
    });
  }

  /** A report submitted, to ABB's reviewers, who review it; the event key names the version the submission was based on. */
  async submitted(manager: EntityManager, reportId: number, basedOnVersion: number, report: ReportView, submittedAt: Date, late: boolean): Promise<void> {
    const notice = reportSubmittedText(
      {
        applicationId: report.applicationId,
        applicantNameNl: report.applicantNameNl,
        callYear: report.callYear,
        kind: report.kind,
        reportNameNl: REPORT_KIND_NL[report.kind],
        submittedAt,
        late,
      },
      this.config.publicUrl,
    );
    const to = (await this.officers.activeReviewers(manager)).map((o) => ({ email: o.email, userId: o.userId }));
    await this.delivery.deliver(manager, {
      to,
      subject: notice.subject,
      text: notice.text,
      link: notice.link,
      eventKey: `report-submitted:${reportId}:${basedOnVersion}`,
    });
  }
}
