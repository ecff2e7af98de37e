import { DynamicModule, Global, Module } from '@nestjs/common';
import { PlatformConfig } from './platform-config';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: PlatformConfig, useValue: config }], exports: [PlatformConfig] };
  }
}
