import { DynamicModule, Module } from '@nestjs/common';
import { ApplicantsModule } from '@ps/applicants';
import { CatalogueModule } from '@ps/catalogue';
import { ConfigModule, PlatformConfig } from '@ps/config';
import { DatabaseModule } from '@ps/database';
import { IdentityModule } from '@ps/identity';
import { Clock } from '@ps/kernel';
import { OrganisationsModule } from '@ps/organisations';
import { SetupModule } from '@ps/setup';
import { CatalogueApiController } from './api/catalogue.api.controller';
import { OrganisationsApiController } from './api/organisations.api.controller';
import { HealthController } from './health.controller';
import { StartupService } from './startup.service';
import { AssetsController } from './web/assets.controller';
import { WebController } from './web/web.controller';

@Module({})
export class AppModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(), CatalogueModule, OrganisationsModule, IdentityModule, ApplicantsModule, SetupModule],
      controllers: [HealthController, CatalogueApiController, OrganisationsApiController, WebController, AssetsController],
      providers: [StartupService, Clock],
    };
  }
}
