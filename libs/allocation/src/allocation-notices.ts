import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApplicantReadModel } from '@ps/applicants';
import { PlatformConfig } from '@ps/config';
import { OfficersReadModel } from '@ps/identity';
import { Cents } from '@ps/kernel';
import { allocationPublishedText, MailDelivery, NoticeText, settlementText } from '@ps/notifications';
import { advanceAndBalance } from '@ps/payments';

/** What a notice about an applicant's money needs of its share. */
export interface NoticeShare {
  applicantId: number;
  applicationId: number;
  applicantNameNl: string;
  allocatedCents: Cents;
}

/**
 * Issue 25: the notices of the money steps, each written in the step's own transaction (the outbox), once per event and
 * recipient, to the officers of the applicant's lead and members. Who hears of what: docs/notifications.md.
 */
@Injectable()
export class AllocationNotices {
  constructor(
    private readonly delivery: MailDelivery,
    private readonly officers: OfficersReadModel,
    private readonly applicants: ApplicantReadModel,
    private readonly config: PlatformConfig,
  ) {}

  /** A published run: each applicant hears its amount and advance (paid after the release of the payment list). */
  async published(manager: EntityManager, runId: number, call: { nameNl: string; advancePercent: number }, shares: NoticeShare[]): Promise<void> {
    for (const share of shares) {
      const notice = allocationPublishedText(
        {
          applicationId: share.applicationId,
          applicantNameNl: share.applicantNameNl,
          callNameNl: call.nameNl,
          allocatedCents: share.allocatedCents,
          advanceCents: advanceAndBalance(share.allocatedCents, call.advancePercent).advanceCents,
          advancePercent: call.advancePercent,
        },
        this.config.publicUrl,
      );
      await this.send(manager, `allocation-published:${runId}:${share.applicantId}`, share.applicantId, notice);
    }
  }

  /** A closed settlement: the balance or the reclaim, with its computation. */
  async settled(
    manager: EntityManager,
    share: NoticeShare & { callNameNl: string },
    statement: { allocatedCents: Cents; advanceCents: Cents; reclaimCents: Cents; balanceCents: Cents; settledAt: Date },
  ): Promise<void> {
    const notice = settlementText(
      { applicationId: share.applicationId, applicantNameNl: share.applicantNameNl, callNameNl: share.callNameNl, ...statement },
      this.config.publicUrl,
    );
    await this.send(manager, `settlement-closed:${share.applicationId}`, share.applicantId, notice);
  }

  private async send(manager: EntityManager, eventKey: string, applicantId: number, notice: NoticeText): Promise<void> {
    const ids = await this.applicants.memberLocalGovernmentIds(manager, applicantId, 'members');
    const to = (await this.officers.activeOfficers(manager, ids)).map((o) => ({ email: o.email, userId: o.userId }));
    await this.delivery.deliver(manager, { to, subject: notice.subject, text: notice.text, link: notice.link, eventKey });
  }
}
