import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, loadConfig, PlatformConfig } from '@ps/config';
import { checkDatabaseReachable } from '@ps/database';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';

async function bootstrap(config: PlatformConfig) {
  await checkDatabaseReachable(config);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: ['error', 'warn', 'log', 'debug', 'verbose'].slice(0, ['error', 'warn', 'log', 'debug', 'verbose'].indexOf(config.LOG_LEVEL) + 1) as never,
    abortOnError: false,
    bufferLogs: true,
  });
  app.flushLogs();
  configureApp(app, config);
  app.enableShutdownHooks();
  await app.listen(config.PORT);
  new Logger('Platform').log(`Plan Samenleven listens on http://localhost:${config.PORT}`);
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
bootstrap(config).catch((error: Error & { code?: string }) => fail(`cannot start: ${error.message.split('\n')[0]}${error.code ? ` (${error.code})` : ''}`));
