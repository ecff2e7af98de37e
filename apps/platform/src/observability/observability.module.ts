import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { DestinationStream } from 'pino';
import { PlatformConfig } from '@ps/config';
import { SCHEDULED_JOB_RUNS } from '@ps/kernel';
import { createRootLogger, LOG_DESTINATION, PlatformLogger, ROOT_LOGGER } from './logging';
import { MetricsPort } from './metrics-endpoint';
import { PlatformMetrics } from './metrics';
import { ObservabilityReadModel } from './observability.read-model';
import { ReadinessController } from './readiness.controller';

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
 * Logs (pino through nestjs-pino), metrics (prom-client) and readiness. The request middleware is installed first of all
 * by configureApp (request-logging.ts); nestjs-pino gives Nest's Logger the logger of the request it runs in.
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
            // No middleware of its own: Nest would mount it as a route for every path and method (app.all), after the
            // session and the body parsers. observeRequests binds the request's logger first of all instead.
            forRoutes: [],
          }),
        }),
      ],
      controllers: [ReadinessController],
      providers: [ObservabilityReadModel, PlatformMetrics, MetricsPort, PlatformLogger, { provide: SCHEDULED_JOB_RUNS, useExisting: PlatformMetrics }],
      exports: [PlatformMetrics, PlatformLogger, SCHEDULED_JOB_RUNS],
    };
  }
}
