import { Module } from '@nestjs/common';
import { AllocationModule } from '@ps/allocation';
import { ApplicantsModule } from '@ps/applicants';
import { ApplicationsModule } from '@ps/applications';
import { CatalogueModule } from '@ps/catalogue';
import { IdentityModule } from '@ps/identity';
import { NotificationsModule } from '@ps/notifications';
import { ReportingModule } from '@ps/reporting';
import { TasksReadModel } from './tasks.read-model';

/** "Mijn taken": what each role has to do next, read from the other libs; no tables of its own. */
@Module({
  imports: [AllocationModule, ApplicantsModule, ApplicationsModule, CatalogueModule, IdentityModule, NotificationsModule, ReportingModule],
  providers: [TasksReadModel],
  exports: [TasksReadModel],
})
export class TasksModule {}
