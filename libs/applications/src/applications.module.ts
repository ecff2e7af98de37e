import { Module } from '@nestjs/common';
import { APPLICANT_LOCK, ApplicantsModule } from '@ps/applicants';
import { CatalogueModule } from '@ps/catalogue';
import { OrganisationsModule } from '@ps/organisations';
import { ApplicationsRepository } from './applications.repository';
import { ApplicationsService } from './applications.service';
import { ApplicationRecords } from './application-records';
import { ReviewService } from './review.service';
import { ApprovedCommitments } from './approved-commitments.read-model';
import { CallsAdministration } from './calls-administration';
import { DecisionLetterArchive } from './decision-letter-archive';
import { DecisionLettersRepository } from './decision-letters.repository';

@Module({
  imports: [ApplicantsModule, CatalogueModule, OrganisationsModule],
  providers: [
    ApplicationsRepository,
    ApplicationRecords,
    ReviewService,
    ApplicationsService,
    CallsAdministration,
    ApprovedCommitments,
    DecisionLettersRepository,
    DecisionLetterArchive,
    { provide: APPLICANT_LOCK, useExisting: ApplicationsService },
  ],
  exports: [ApplicationsService, CallsAdministration, ApprovedCommitments, DecisionLetterArchive],
})
export class ApplicationsModule {}
