import { DynamicModule, Global, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { DestinationStream } from 'pino';
import { PlatformConfig } from '@ps/config';
import { SCHEDULED_JOB_RUNS } from '@ps/kernel';
import { createRootLogger, LOG_DESTINATION, PlatformLogger, ROOT_LOGGER } from './logging';
import { MetricsPort } from './metrics-endpoint';
import { PlatformMetrics } from './metrics';
import { ObservabilityReadModel } from './observability.read-model';
import { ReadinessController } from './readiness.controller';
import { EVERY_PATH } from './route';

/** The root logger, built once from the configuration and LOG_DESTINATION (stdout unless a test gives a stream). */
@Global()
@Module({
  providers: [
    { provide: LOG_DESTINATION, useValue: null },
    {
      provide: ROOT_LOGGER,
      inject: [PlatformConfig, LOG_DESTINATION],
      useFactory: (config: PlatformConfig, destination: DestinationStream | null) => createRootLogger(config, destination ?? undefined),
    },
  ],
  exports: [ROOT_LOGGER],
})
class RootLoggerModule {}

/**
 * Logs (pino through nestjs-pino), metrics (prom-client) and readiness. The request middleware itself is installed first
 * of all by configureApp (request-logging.ts); nestjs-pino only binds each request's logger for Nest's Logger.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [
        RootLoggerModule,
        LoggerModule.forRootAsync({
          imports: [RootLoggerModule],
          inject: [ROOT_LOGGER],
          useFactory: (logger: ReturnType<typeof createRootLogger>) => ({
            pinoHttp: { logger },
            useExisting: true,
            forRoutes: [{ path: EVERY_PATH, method: RequestMethod.ALL }],
          }),
        }),
      ],
      controllers: [ReadinessController],
      providers: [ObservabilityReadModel, PlatformMetrics, MetricsPort, PlatformLogger, { provide: SCHEDULED_JOB_RUNS, useExisting: PlatformMetrics }],
      exports: [PlatformMetrics, PlatformLogger, SCHEDULED_JOB_RUNS],
    };
  }
}
