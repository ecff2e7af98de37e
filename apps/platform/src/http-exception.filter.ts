import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { SignInRequired } from './auth/sign-in-required';
import { Refusal } from '@ps/kernel';
import { asRefusal, refusalBody, retryAfter, statusOf } from './refusal-status';
import { routeOf } from './observability/route';
import { translate } from './web/i18n';

/** Whether a path answers JSON (the API and /health) rather than a Dutch page. */
export const isApi = (path: string) => path.startsWith('/api/') || path === '/health';

// Messages Nest, multer and body-parser write themselves; they reach the user in Dutch instead.
const ENGLISH =
  /^(Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) |Validation failed|Internal server error|Forbidden resource|Unauthorized|Not Found|Bad Request|Conflict|Unprocessable Entity|Payload Too Large|Too Many Requests|request entity too large|File too large|Request aborted)/i;
const MULTIPART =
  /^(Unexpected (file )?field|Unexpected end of (form|file)|Too many (files|parts|fields)|Field name|Field value too long|Invalid field name|Multipart|Malformed part header|Boundary not found)/i;

const DUTCH_BY_STATUS: Record<number, string> = {
  400: 'errors.badRequest',
  401: 'errors.unauthorized',
  403: 'errors.forbidden',
  404: 'errors.notFound',
  409: 'errors.conflict',
  413: 'errors.tooLarge',
  415: 'errors.unsupportedMediaType',
  422: 'errors.badRequest',
  429: 'errors.tooManyRequests',
};

/** The message itself, unless it is one of the frameworks' English ones. */
export function dutchMessage(status: number, message: string): string {
  if (MULTIPART.test(message)) return translate('errors.fileRefused');
  if (!ENGLISH.test(message)) return message;
  return translate(status >= 500 ? 'errors.server' : (DUTCH_BY_STATUS[status] ?? 'errors.badRequest'));
}

function apiBody(exception: unknown, status: number): Record<string, unknown> {
  if (exception instanceof Refusal) return refusalBody(exception);
  if (!(exception instanceof HttpException)) return { statusCode: status, message: translate('errors.server') };
  const body = exception.getResponse();
  if (typeof body === 'string') return { statusCode: status, message: dutchMessage(status, body) };
  const { error, ...rest } = body as Record<string, unknown>;
  void error; // Nest's English status phrase ("Bad Request")
  return { ...rest, statusCode: status, ...(typeof rest.message === 'string' ? { message: dutchMessage(status, rest.message) } : {}) };
}

let lastUnreachableLog = 0;
/** One warning line (at most every 5 s) instead of a stack trace per request while the database server is away. */
function logUnreachable(exception: unknown, req: Request, logger: Logger): void {
  if (Date.now() - lastUnreachableLog < 5_000) return;
  lastUnreachableLog = Date.now();
  const message = `the database server cannot be reached; answering 503 (${(exception as Error)?.message})`;
  if (req.log) req.log.warn(message);
  else logger.warn(message);
}

/**
 * A bug: logged with its stack through the request's logger, so with its request id, and the route pattern (the address
 * may hold ids or a reset link's token in its query string).
 */
function logUnexpected(exception: unknown, req: Request, logger: Logger): void {
  if (req.log) req.log.error({ err: exception, method: req.method, route: routeOf(req) }, 'unexpected error');
  else logger.error(`${req.method} ${routeOf(req)}`, (exception as Error)?.stack);
}

/** JSON errors for the API, a Dutch error page for the web UI; unexpected errors are logged, never shown. */
export function sendError(thrown: unknown, req: Request, res: Response, logger: Logger): void {
  const exception = asRefusal(thrown);
  if (exception !== thrown) logUnreachable(thrown, req, logger);
  const status = statusOf(exception);
  if (!(exception instanceof Refusal) && !(exception instanceof HttpException)) {
    logUnexpected(exception, req, logger);
  }
  if (res.headersSent) return;
  const wait = exception instanceof Refusal ? retryAfter(exception) : undefined;
  if (wait !== undefined) res.setHeader('Retry-After', String(wait));

  if (isApi(req.path)) {
    res.status(status).json(apiBody(exception, status));
    return;
  }
  if (exception instanceof SignInRequired && req.method === 'GET') {
    res.redirect(303, `/aanmelden?terug=${encodeURIComponent(exception.returnTo)}`);
    return;
  }
  const message = exception instanceof Refusal ? exception.message : exception instanceof HttpException ? dutchMessage(status, exception.message) : '';
  const [heading, text] =
    status === HttpStatus.UNAUTHORIZED
      ? [translate('errors.signInTitle'), message]
      : status === HttpStatus.FORBIDDEN
        ? [translate('errors.forbiddenTitle'), message]
        : status === HttpStatus.NOT_FOUND
          ? [translate('errors.notFoundTitle'), translate('errors.notFound')]
          : status >= 500
            ? [translate('errors.serverTitle'), translate('errors.server')]
            : [translate('errors.badRequestTitle'), message];
  res.status(status).render('error', { title: heading, heading, message: text });
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    sendError(exception, host.switchToHttp().getRequest<Request>(), host.switchToHttp().getResponse<Response>(), this.logger);
  }
}
