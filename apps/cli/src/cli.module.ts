import { DynamicModule, Module } from '@nestjs/common';
import { ApplicantLockModule } from '@ps/applications';
import { AuditModule } from '@ps/audit';
import { ClockModule, ConfigModule, PlatformConfig } from '@ps/config';
import { DatabaseModule } from '@ps/database';
import { IdentityModule } from '@ps/identity';
import { NotificationsModule } from '@ps/notifications';
import { OrganisationsModule } from '@ps/organisations';
import { SetupModule } from '@ps/setup';

@Module({})
export class CliModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule,
        DatabaseModule.forRoot(),
        AuditModule,
        NotificationsModule,
        OrganisationsModule,
        IdentityModule,
        ApplicantLockModule,
        SetupModule,
      ],
    };
  }
}
