import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ApplicantsModule } from '@ps/applicants';
import { ApplicationsModule } from '@ps/applications';
import { CatalogueModule } from '@ps/catalogue';
import { IdentityModule } from '@ps/identity';
import { RemindersRepository } from './reminders.repository';
import { ReportReminders } from './report-reminders';

/**
 * The daily report reminders. Brings the scheduler (ScheduleModule.forRoot) along, as the platform's only scheduled
 * job; should another one come, move ScheduleModule.forRoot() to AppModule. Needs the global ConfigModule, ClockModule,
 * DatabaseModule and NotificationsModule (its MailDelivery) of AppModule.
 */
@Module({
  imports: [ScheduleModule.forRoot(), ApplicantsModule, ApplicationsModule, CatalogueModule, IdentityModule],
  providers: [RemindersRepository, ReportReminders],
  exports: [ReportReminders],
})
export class ReportRemindersModule {}
