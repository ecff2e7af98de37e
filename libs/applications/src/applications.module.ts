import { Module } from '@nestjs/common';
import { ApplicantsModule } from '@ps/applicants';
import { ApplicationsService } from './applications.service';
import { CallsAdministration } from './calls-administration';

@Module({
  imports: [ApplicantsModule],
  providers: [ApplicationsService, CallsAdministration],
  exports: [ApplicationsService, CallsAdministration],
})
export class ApplicationsModule {}
