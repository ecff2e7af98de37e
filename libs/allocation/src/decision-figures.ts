import { Injectable } from '@nestjs/common';
import { Application, ApplicationsService, isDecided } from '@ps/applications';
import { Call, CatalogueService } from '@ps/catalogue';
import { Cents, Conflict } from '@ps/kernel';
import { LocalGovernment, OrganisationsService } from '@ps/organisations';
import { advanceAndBalance } from '@ps/payments';
import { AllocationService, PublishedShare } from './allocation.service';

/** Everything a decision letter states, decided here once; the letter's HTML and PDF only present it. */
export interface DecisionFigures {
  application: Application;
  call: Call;
  /** The addressee: the applicant's lead local government. Its postal address is not kept on the platform. */
  lead: LocalGovernment;
  /** The application's share in its call's published allocation run, once there is one. */
  share: PublishedShare | null;
  confirmedCents: Cents;
  advanceCents: Cents;
  balanceCents: Cents;
}

/**
 * The figures of an application's decision letter. Before the call's allocation is published the advance and balance
 * are those of the confirmed amount (requested for allocation); afterwards they are those of the allocated amount.
 */
@Injectable()
export class DecisionFiguresService {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly catalogue: CatalogueService,
    private readonly allocation: AllocationService,
    private readonly organisations: OrganisationsService,
  ) {}

  async of(applicationId: number): Promise<DecisionFigures> {
    const application = await this.applications.get(applicationId);
    if (!isDecided(application.status)) throw new Conflict('Een beslissingsbrief bestaat pas na goedkeuring of afwijzing.');
    const call = await this.catalogue.getCallByYear(application.callYear);
    const share = application.status === 'goedgekeurd' ? await this.allocation.publishedShareOf(applicationId) : null;
    const confirmedCents = application.confirmedTotalCents ?? 0;
    const lead = await this.organisations.get(application.leadLocalGovernmentId);
    return { application, call, lead, share, confirmedCents, ...advanceAndBalance(share ? share.allocatedCents : confirmedCents, call.advancePercent) };
  }
}
