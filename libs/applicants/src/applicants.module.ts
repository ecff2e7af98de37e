import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogueModule } from '@ps/catalogue';
import { IdentityModule } from '@ps/identity';
import { OrganisationsModule } from '@ps/organisations';
import { ApplicantNotices } from './applicant-notices';
import { ApplicantReadModel } from './applicant.read-model';
import { ApplicantRecords } from './applicant-records';
import { ApplicantRegistrationService } from './applicant-registration.service';
import { Applicant, ApplicantMember } from './applicant.entities';
import { ApplicantsRepository } from './applicants.repository';
import { ContactPayoutService } from './contact-payout.service';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';
import { EligibilityFacts } from './eligibility-facts';
import { PartnersRepository } from './partners.repository';
import { PartnersService } from './partners.service';

@Module({
  imports: [TypeOrmModule.forFeature([Applicant, ApplicantMember]), OrganisationsModule, CatalogueModule, IdentityModule],
  providers: [
    ApplicantReadModel,
    ApplicantNotices,
    ApplicantsRepository,
    DocumentsRepository,
    PartnersRepository,
    EligibilityFacts,
    ApplicantRecords,
    ApplicantRegistrationService,
    ContactPayoutService,
    DocumentsService,
    PartnersService,
  ],
  exports: [ApplicantReadModel, ApplicantRegistrationService, ContactPayoutService, DocumentsService, PartnersService],
})
export class ApplicantsModule {}
