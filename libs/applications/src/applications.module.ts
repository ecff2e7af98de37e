import { Module } from '@nestjs/common';
import { ApplicantsModule } from '@ps/applicants';
import { IdentityModule } from '@ps/identity';
import { CatalogueModule } from '@ps/catalogue';
import { OrganisationsModule } from '@ps/organisations';
import { ApplicantLockModule } from './applicant-lock';
import { ApplicationsRepository } from './applications.repository';
import { ApplicationsService } from './applications.service';
import { ApplicationRecords } from './application-records';
import { ReviewQueueRepository } from './review-queue.repository';
import { ReviewService } from './review.service';
import { ApprovedCommitments } from './approved-commitments.read-model';
import { CallsAdministration } from './calls-administration';
import { CallLifeService } from './call-life.service';
import { DecisionLetterArchive } from './decision-letter-archive';
import { DecisionLettersRepository } from './decision-letters.repository';
import { ApplicationNotices } from './application-notices';

@Module({
  imports: [ApplicantLockModule, ApplicantsModule, CatalogueModule, OrganisationsModule, IdentityModule],
  providers: [
    ApplicationsRepository,
    ApplicationRecords,
    ReviewService,
    ReviewQueueRepository,
    ApplicationsService,
    CallsAdministration,
    CallLifeService,
    ApprovedCommitments,
    DecisionLettersRepository,
    DecisionLetterArchive,
    ApplicationNotices,
  ],
  exports: [ApplicationsService, ReviewService, CallsAdministration, CallLifeService, ApprovedCommitments, DecisionLetterArchive],
})
export class ApplicationsModule {}
