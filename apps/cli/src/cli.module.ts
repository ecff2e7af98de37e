import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, PlatformConfig } from '@ps/config';
import { DatabaseModule } from '@ps/database';
import { OrganisationsModule } from '@ps/organisations';
import { SetupModule } from '@ps/setup';

@Module({})
export class CliModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return { module: CliModule, imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(), OrganisationsModule, SetupModule] };
  }
}
