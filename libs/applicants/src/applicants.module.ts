import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogueModule } from '@ps/catalogue';
import { OrganisationsModule } from '@ps/organisations';
import { ApplicantReadModel } from './applicant.read-model';
import { Applicant, ApplicantMember } from './applicant.entities';
import { ApplicantsRepository } from './applicants.repository';
import { ApplicantsService } from './applicants.service';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';
import { EligibilityFacts } from './eligibility-facts';
import { PartnersRepository } from './partners.repository';
import { PartnersService } from './partners.service';

@Module({
  imports: [TypeOrmModule.forFeature([Applicant, ApplicantMember]), OrganisationsModule, CatalogueModule],
  providers: [
    ApplicantReadModel,
    ApplicantsRepository,
    DocumentsRepository,
    PartnersRepository,
    EligibilityFacts,
    ApplicantsService,
    DocumentsService,
    PartnersService,
  ],
  exports: [ApplicantReadModel, ApplicantsService, DocumentsService, PartnersService],
})
export class ApplicantsModule {}
