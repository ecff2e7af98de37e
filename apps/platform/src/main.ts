// First, before any other module is loaded: V8's heap growing factor (see heap-growing.ts).
import './heap-growing';
import 'reflect-metadata';
import cluster from 'node:cluster';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, loadConfig, PlatformConfig } from '@ps/config';
import { checkDatabaseReachable } from '@ps/database';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';
import { createRootLogger, PlatformLogger } from './observability/logging';

async function bootstrap(config: PlatformConfig) {
  await checkDatabaseReachable(config);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { abortOnError: false, bufferLogs: true });
  // Nest's own lines (start-up, Logger) through pino at LOG_LEVEL; the route mapping at debug (logging.ts).
  app.useLogger(app.get(PlatformLogger));
  app.flushLogs();
  configureApp(app, config);
  app.enableShutdownHooks();
  await app.listen(config.PORT);
  new Logger('Platform').log(`Plan Samenleven listens on http://localhost:${config.PORT}${cluster.isWorker ? ` (worker ${cluster.worker!.id})` : ''}`);
}

/**
 * WORKERS > 1: this process only starts and watches the workers, which share PORT. The first one migrates and seeds
 * alone; the others start once it listens. A worker that dies is replaced; SIGTERM and SIGINT stop them all.
 */
function superviseWorkers(workers: number) {
  const logger = createRootLogger(config).child({ context: 'Platform' });
  let stopping = false;
  cluster.fork().once('listening', () => {
    for (let i = 1; i < workers; i++) cluster.fork();
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    if (worker.id === 1 && Object.keys(cluster.workers ?? {}).length === 0) fail(`the first worker stopped before it listened (exit code ${code})`);
    logger.warn({ worker: worker.id }, `worker ${worker.id} stopped (${signal ?? `exit code ${code}`}); starting another in a second`);
    setTimeout(() => cluster.fork(), 1000);
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    });
  }
}

function fail(message: string): never {
  process.stderr.write(`plan-samenleven: ${message}\n`);
  process.exit(1);
}

let config: PlatformConfig;
try {
  config = loadConfig();
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}
if (config.WORKERS > 1 && cluster.isPrimary) superviseWorkers(config.WORKERS);
else
  bootstrap(config).catch((error: Error & { code?: string }) => fail(`cannot start: ${error.message.split('\n')[0]}${error.code ? ` (${error.code})` : ''}`));
