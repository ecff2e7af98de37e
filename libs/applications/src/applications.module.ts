import { Module } from '@nestjs/common';
import { APPLICANT_LOCK, ApplicantsModule } from '@ps/applicants';
import { ApplicationsService } from './applications.service';
import { CallsAdministration } from './calls-administration';

@Module({
  imports: [ApplicantsModule],
  providers: [ApplicationsService, CallsAdministration, { provide: APPLICANT_LOCK, useExisting: ApplicationsService }],
  exports: [ApplicationsService, CallsAdministration],
})
export class ApplicationsModule {}
