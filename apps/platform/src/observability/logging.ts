import { Inject, Injectable } from '@nestjs/common';
import { Logger as PinoNestLogger, Params, PARAMS_PROVIDER_TOKEN, PinoLogger } from 'nestjs-pino';
import pino, { DestinationStream, Level, Logger, LoggerOptions } from 'pino';
import pretty from 'pino-pretty';
import { PlatformConfig } from '@ps/config';

/** An optional stream for the log lines instead of stdout; the tests provide one to read them. */
export const LOG_DESTINATION = 'LogDestination';
/** The process's pino logger, built from the configuration (createRootLogger). */
export const ROOT_LOGGER = 'RootLogger';

/** LOG_LEVEL keeps Nest's names; pino calls `log` info and `verbose` trace. */
export const PINO_LEVEL: Record<PlatformConfig['LOG_LEVEL'], Level> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/**
 * An error as logged: its type, message, code and stack only. pino's own serializer copies every property, and a
 * TypeORM QueryFailedError carries the statement's parameters (names, addresses, IBANs) and the server's detail.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.constructor.name,
    message: error.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    stack: error.stack,
  };
}

/**
 * JSON lines on stdout (production, test), or readable lines through pino-pretty (development); to `destination` when
 * given. Timestamps are ISO 8601 in UTC.
 */
export function createRootLogger(config: PlatformConfig, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: PINO_LEVEL[config.LOG_LEVEL],
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: safeError },
    formatters: { level: (label) => ({ level: label }) },
  };
  if (destination) return pino(options, destination);
  if (config.NODE_ENV === 'development') {
    return pino(
      options,
      pretty({
        colorize: !!process.stdout.isTTY,
        translateTime: "UTC:yyyy-mm-dd'T'HH:MM:ss.l'Z'",
        ignore: 'pid,hostname,context',
        messageFormat: '{if context}[{context}] {end}{msg}',
        singleLine: true,
        sync: true,
      }),
    );
  }
  return pino(options);
}

/** Nest's own start-up detail: one line per route and per module, logged at debug instead of log. */
const START_UP_DETAIL = new Set(['RoutesResolver', 'RouterExplorer', 'InstanceLoader']);

/** Nest's logger (app.useLogger) through pino, with the request id of the request it logs in (nestjs-pino). */
@Injectable()
export class PlatformLogger extends PinoNestLogger {
  constructor(logger: PinoLogger, @Inject(PARAMS_PROVIDER_TOKEN) params: Params) {
    super(logger, params);
  }

  log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    if (typeof context === 'string' && START_UP_DETAIL.has(context)) super.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}
