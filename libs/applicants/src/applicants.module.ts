import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Applicant, ApplicantMember } from './applicant.entities';
import { ApplicantsService } from './applicants.service';
import { DocumentsService } from './documents.service';
import { PartnersService } from './partners.service';

@Module({
  imports: [TypeOrmModule.forFeature([Applicant, ApplicantMember])],
  providers: [ApplicantsService, DocumentsService, PartnersService],
  exports: [ApplicantsService, DocumentsService, PartnersService],
})
export class ApplicantsModule {}
