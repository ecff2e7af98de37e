import { Server } from 'node:http';
import { Duplex } from 'node:stream';
import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { NextFunction, Request, Response } from 'express';
import { fieldsWithInvalidCharacters, INVALID_CHARACTERS, nestedDeeperThan } from '@ps/kernel';
import { isApi, sendError } from './http-exception.filter';
import { translate } from './web/i18n';

/** JSON and form bodies; file uploads (multipart) have their own limit on the upload route. */
export const BODY_LIMIT = '1mb';

const refusal = (status: number, body: Record<string, unknown>) => new HttpException({ statusCode: status, ...body }, status);

/** Body-parser's errors (too large, not JSON, unknown charset) as Dutch 4xx answers. */
function parserRefusal(error: { type?: string; status?: number }): HttpException | null {
  switch (error.type) {
    case 'entity.too.large':
      return refusal(HttpStatus.PAYLOAD_TOO_LARGE, { message: translate('errors.tooLarge') });
    case 'entity.parse.failed':
    case 'entity.verify.failed':
    case 'request.aborted':
    case 'request.size.invalid':
      return refusal(HttpStatus.BAD_REQUEST, { message: translate('errors.invalidJson') });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return refusal(HttpStatus.UNSUPPORTED_MEDIA_TYPE, { message: translate('errors.unsupportedMediaType') });
    default:
      return typeof error.status === 'number' && error.status >= 400 && error.status < 500
        ? refusal(error.status, { message: translate('errors.badRequest') })
        : null;
  }
}

/** Refuses text that breaks the text rule (libs/kernel/src/hostile-input.ts) anywhere in the body or the query, and JSON nested too deep. */
function checkInput(req: Request, _res: Response, next: NextFunction): void {
  const status = isApi(req.path) ? HttpStatus.UNPROCESSABLE_ENTITY : HttpStatus.BAD_REQUEST;
  if (nestedDeeperThan(req.body)) return next(refusal(status, { message: translate('errors.tooDeep') }));
  const fields = [...fieldsWithInvalidCharacters(req.query), ...fieldsWithInvalidCharacters(req.body)];
  if (fields.length > 0) {
    const errors = Object.fromEntries(fields.map((field) => [field, [INVALID_CHARACTERS]]));
    return next(refusal(status, { message: isApi(req.path) ? 'Ongeldige invoer' : translate('errors.invalidCharacters'), errors }));
  }
  next();
}

/**
 * Node's HTTP parser refuses some requests before the app sees them (an address or headers over 16 kB, a request that is
 * not HTTP): answered in Dutch too, as JSON, since the path may be unreadable.
 */
function answerParserRefusals(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
    const [status, reason, message] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', translate('errors.headersTooLarge')]
        : [400, 'Bad Request', translate('errors.badRequest')];
    const body = JSON.stringify({ statusCode: status, message });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

/** Body parsing with explicit limits, the hostile-input checks, and Dutch answers for their refusals. */
export function configureRequestLimits(app: NestExpressApplication): void {
  const logger = new Logger('Http');
  answerParserRefusals(app.getHttpServer());
  // JSON for the API only: a page's form takes form bodies, so a JSON body there is not read at all (CSRF then refuses it).
  app.useBodyParser('json', { limit: BODY_LIMIT, type: (req: Request) => isApi(req.path) && req.is('application/json') === 'application/json' });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: true });
  // Express 5 leaves the body undefined when no parser took it (JSON to a page, text/plain anywhere): an empty one, so
  // every route refuses it per field or by its CSRF check instead of failing on a missing body.
  app.use((req: Request, _res: Response, next: NextFunction) => ((req.body ??= {}), next()));
  app.use(checkInput);
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const refused = error instanceof HttpException ? error : parserRefusal(error as { type?: string });
    sendError(refused ?? error, req, res, logger);
  });
}
