import { DynamicModule, Module, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformConfig } from '@ps/config';
import { migrateAsOwner } from './app-role';
import { dataSourceOptions } from './data-source-options';
import { takeTurnsPerRequest } from './pglite-pool';
import { DatabaseNotifications } from './notifications';
import { IdempotentAnswers } from './idempotent-answers';
import { IdempotentAnswersRepository } from './idempotent-answers.repository';
import { BackupChannel } from './backup-channel';

@Module({})
export class DatabaseModule implements OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: PlatformConfig,
  ) {}

  /**
   * The embedded database serves requests first come, first served (see pglite-pool.ts). Only there: the turns live in an
   * AsyncLocalStorage, whose hook costs something on every promise of every request.
   */
  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer();
    if (server && this.config.embedded) takeTurnsPerRequest(server);
  }

  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [DatabaseNotifications, IdempotentAnswersRepository, IdempotentAnswers, BackupChannel],
      exports: [DatabaseNotifications, IdempotentAnswers],
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [PlatformConfig],
          useFactory: async (config: PlatformConfig) => {
            if (config.MIGRATIONS_RUN && config.MIGRATIONS_DATABASE_URL) await migrateAsOwner(config);
            return { ...dataSourceOptions(config), autoLoadEntities: true, retryAttempts: 0 };
          },
        }),
      ],
    };
  }
}
