import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApplicantReadModel } from '@ps/applicants';
import { PlatformConfig } from '@ps/config';
import { OfficersReadModel } from '@ps/identity';
import { applicationReference, approvalText, MailDelivery, NoticeText, Recipient, returnedText, submissionReceiptText, windowText } from '@ps/notifications';
import { Application } from './application-records';

/**
 * Issue 25: the notices of an application's steps, each written in the step's own transaction (the outbox), once per
 * event and recipient: the event key names the application and the version the step made. Who hears of what:
 * docs/notifications.md.
 */
@Injectable()
export class ApplicationNotices {
  constructor(
    private readonly delivery: MailDelivery,
    private readonly officers: OfficersReadModel,
    private readonly applicants: ApplicantReadModel,
    private readonly config: PlatformConfig,
  ) {}

  /** The receipt, to the officers of the lead and the members, and to ABB's reviewers. */
  async submitted(manager: EntityManager, after: Application, digest: string, resubmission: boolean): Promise<void> {
    const notice = submissionReceiptText(
      { ...this.ref(after), reference: applicationReference(after.callYear, after.id), submittedAt: after.submittedAt!, digest, resubmission },
      this.config.publicUrl,
    );
    const to = [...(await this.officersOf(manager, after, 'members')), ...(await this.officers.activeReviewers(manager)).map(recipient)];
    await this.send(manager, 'submission-received', after, to, notice);
  }

  /** Returned for changes, with the reviewer's comments: to the lead's officers, who change and resubmit it. */
  async returned(manager: EntityManager, after: Application): Promise<void> {
    const perLine = after.lines
      .filter((l) => l.reviewComment)
      .map((l) => ({ label: `Actie ${l.actionNumber} (${l.actionTitleNl}), ${l.unitNl}`, comment: l.reviewComment! }));
    const notice = returnedText({ ...this.ref(after), general: after.decisionReason, perLine }, this.config.publicUrl);
    await this.send(manager, 'application-returned', after, await this.officersOf(manager, after, 'lead'), notice);
  }

  /** Approved, with the link to the decision letter: to the officers of the lead and the members. */
  async approved(manager: EntityManager, after: Application): Promise<void> {
    const notice = approvalText({ ...this.ref(after), confirmedTotalCents: after.confirmedTotalCents }, this.config.publicUrl);
    await this.send(manager, 'application-approved', after, await this.officersOf(manager, after, 'members'), notice);
  }

  /** The window extended or reopened for this applicant: to the lead's officers, who submit. */
  async windowChanged(manager: EntityManager, after: Application, reopened: boolean): Promise<void> {
    const notice = windowText(
      { ...this.ref(after), until: after.window.closesAt, reason: after.deadlineExtensionReason ?? '', reopened },
      this.config.publicUrl,
    );
    await this.send(manager, reopened ? 'application-reopened' : 'deadline-extended', after, await this.officersOf(manager, after, 'lead'), notice);
  }

  private ref(application: Application) {
    return { applicationId: application.id, applicantNameNl: application.applicantNameNl, callNameNl: application.callNameNl };
  }

  private async officersOf(manager: EntityManager, application: Application, who: 'lead' | 'members'): Promise<Recipient[]> {
    const ids =
      who === 'lead' ? [application.leadLocalGovernmentId] : await this.applicants.memberLocalGovernmentIds(manager, application.applicantId, 'members');
    return (await this.officers.activeOfficers(manager, ids)).map(recipient);
  }

  private async send(manager: EntityManager, event: string, after: Application, to: Recipient[], notice: NoticeText): Promise<void> {
    await this.delivery.deliver(manager, {
      to,
      subject: notice.subject,
      text: notice.text,
      link: notice.link,
      eventKey: `${event}:${after.id}:${after.version}`,
    });
  }
}

const recipient = (officer: { userId: number; email: string }): Recipient => ({ email: officer.email, userId: officer.userId });
