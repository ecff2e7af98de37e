import { Module } from '@nestjs/common';
import { ApplicantsModule } from '@ps/applicants';
import { ApplicationsService } from './applications.service';

@Module({
  imports: [ApplicantsModule],
  providers: [ApplicationsService],
  exports: [ApplicationsService],
})
export class ApplicationsModule {}
