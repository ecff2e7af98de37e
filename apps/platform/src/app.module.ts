import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AllocationModule } from '@ps/allocation';
import { ReportingModule, ReportRemindersModule } from '@ps/reporting';
import { OverviewsModule } from '@ps/overviews';
import { ApplicantsModule } from '@ps/applicants';
import { ApplicationsModule } from '@ps/applications';
import { AuditModule } from '@ps/audit';
import { CatalogueModule } from '@ps/catalogue';
import { ClockModule, ConfigModule, PlatformConfig } from '@ps/config';
import { DatabaseModule } from '@ps/database';
import { IdentityModule } from '@ps/identity';
import { NotificationsModule } from '@ps/notifications';
import { OrganisationsModule } from '@ps/organisations';
import { SetupModule } from '@ps/setup';
import { TasksModule } from '@ps/tasks';
import { AccountApiController } from './api/account.api.controller';
import { AllocationApiController } from './api/allocation.api.controller';
import { PaymentFilesApiController } from './api/payment-files.api.controller';
import { ProposalsApiController } from './api/proposals.api.controller';
import { ReportsApiController } from './api/reports.api.controller';
import { OverviewsApiController } from './api/overviews.api.controller';
import { ApplicantsApiController } from './api/applicants.api.controller';
import { ApplicationsApiController } from './api/applications.api.controller';
import { CatalogueApiController } from './api/catalogue.api.controller';
import { OrganisationsApiController } from './api/organisations.api.controller';
import { RecordsApiController } from './api/records.api.controller';
import { UsersApiController } from './api/users.api.controller';
import { MessagesApiController } from './api/messages.api.controller';
import { AccessGuard } from './auth/access.guard';
import { Authenticator } from './auth/authenticator';
import { HealthController } from './health.controller';
import { ObservabilityModule } from './observability/observability.module';
import { StartupService } from './startup.service';
import { AccountWebController } from './web/account.web.controller';
import { AllocationWebController } from './web/allocation.web.controller';
import { PaymentFilesWebController } from './web/payment-files.web.controller';
import { ProposalsWebController } from './web/proposals.web.controller';
import { ReportsWebController } from './web/reports.web.controller';
import { OverviewsWebController } from './web/overviews.web.controller';
import { AdminWebController } from './web/admin.web.controller';
import { ApplicantsWebController } from './web/applicants.web.controller';
import { ApplicationsWebController } from './web/applications.web.controller';
import { AssetsController } from './web/assets.controller';
import { DecisionLetters } from './documents/decision-letters';
import { AuthWebController } from './web/auth.web.controller';
import { ProviderSignInWebController } from './web/provider-sign-in.web.controller';
import { IdentityProvider } from './auth/identity-provider';
import { CallsWebController } from './web/calls.web.controller';
import { MergersWebController } from './web/mergers.web.controller';
import { RecordsWebController } from './web/records.web.controller';
import { TasksWebController } from './web/tasks.web.controller';
import { MessagesWebController } from './web/messages.web.controller';
import { WebController } from './web/web.controller';

@Module({})
export class AppModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule.forRoot(),
        ClockModule,
        DatabaseModule.forRoot(),
        AuditModule,
        NotificationsModule,
        CatalogueModule,
        OrganisationsModule,
        IdentityModule,
        ApplicantsModule,
        ApplicationsModule,
        AllocationModule,
        ReportingModule,
        ReportRemindersModule,
        OverviewsModule,
        SetupModule,
        TasksModule,
      ],
      controllers: [
        HealthController,
        CatalogueApiController,
        OrganisationsApiController,
        AccountApiController,
        UsersApiController,
        MessagesApiController,
        RecordsApiController,
        ApplicantsApiController,
        ApplicationsApiController,
        AllocationApiController,
        PaymentFilesApiController,
        ProposalsApiController,
        ReportsApiController,
        OverviewsApiController,
        WebController,
        AuthWebController,
        ProviderSignInWebController,
        AccountWebController,
        AdminWebController,
        ApplicantsWebController,
        ApplicationsWebController,
        CallsWebController,
        MergersWebController,
        AllocationWebController,
        PaymentFilesWebController,
        ProposalsWebController,
        ReportsWebController,
        OverviewsWebController,
        RecordsWebController,
        TasksWebController,
        MessagesWebController,
        AssetsController,
      ],
      providers: [StartupService, Authenticator, IdentityProvider, DecisionLetters, { provide: APP_GUARD, useClass: AccessGuard }],
    };
  }
}
