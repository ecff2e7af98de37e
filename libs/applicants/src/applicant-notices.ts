import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PlatformConfig } from '@ps/config';
import { OfficersReadModel } from '@ps/identity';
import { invitationAnswerText, invitationText, MailDelivery, NoticeText } from '@ps/notifications';
import { ApplicantDetail } from './applicant-records';

/**
 * Issue 25: the notices of a cooperation's invitations, each written in the step's own transaction (the outbox), once per
 * event and recipient; the event key names the applicant, the invited local government and the version the step made.
 */
@Injectable()
export class ApplicantNotices {
  constructor(
    private readonly delivery: MailDelivery,
    private readonly officers: OfficersReadModel,
    private readonly config: PlatformConfig,
  ) {}

  /** An invitation, to the officers of the invited local government. */
  async invited(manager: EntityManager, after: ApplicantDetail, localGovernmentId: number): Promise<void> {
    const notice = invitationText(
      {
        leadNameNl: nameOf(after, after.leadLocalGovernmentId),
        applicantNameNl: after.nameNl,
        invitedNameNl: nameOf(after, localGovernmentId),
        applicantId: after.id,
      },
      this.config.publicUrl,
    );
    await this.send(manager, `invitation:${after.id}:${localGovernmentId}:${after.version}`, [localGovernmentId], notice);
  }

  /** The invitation accepted or refused, to the lead's officers. */
  async answered(manager: EntityManager, before: ApplicantDetail, after: ApplicantDetail, localGovernmentId: number, accepted: boolean): Promise<void> {
    const notice = invitationAnswerText(
      { applicantNameNl: after.nameNl, invitedNameNl: nameOf(before, localGovernmentId), accepted, applicantId: after.id },
      this.config.publicUrl,
    );
    await this.send(manager, `invitation-answered:${after.id}:${localGovernmentId}:${after.version}`, [after.leadLocalGovernmentId], notice);
  }

  private async send(manager: EntityManager, eventKey: string, localGovernmentIds: number[], notice: NoticeText): Promise<void> {
    const to = (await this.officers.activeOfficers(manager, localGovernmentIds)).map((o) => ({ email: o.email, userId: o.userId }));
    await this.delivery.deliver(manager, { to, subject: notice.subject, text: notice.text, link: notice.link, eventKey });
  }
}

const nameOf = (applicant: ApplicantDetail, localGovernmentId: number): string =>
  applicant.members.find((m) => m.localGovernmentId === localGovernmentId)!.nameNl;
