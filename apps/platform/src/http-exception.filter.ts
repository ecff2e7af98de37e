import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { SignInRequired } from './auth/sign-in-required';
import { translate } from './web/i18n';

const isApi = (path: string) => path.startsWith('/api/') || path === '/health';

/** JSON errors for the API, a Dutch error page for the web UI; unexpected errors are logged, never shown. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const status = exception instanceof HttpException ? exception.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
    if (!(exception instanceof HttpException)) this.logger.error(`${req.method} ${req.originalUrl}`, (exception as Error)?.stack);
    if (res.headersSent) return;

    if (isApi(req.path)) {
      const body = exception instanceof HttpException ? exception.getResponse() : { statusCode: status, message: 'Internal server error' };
      res.status(status).json(typeof body === 'string' ? { statusCode: status, message: body } : body);
      return;
    }
    if (exception instanceof SignInRequired && req.method === 'GET') {
      res.redirect(303, `/aanmelden?terug=${encodeURIComponent(exception.returnTo)}`);
      return;
    }
    const [heading, message] =
      status === HttpStatus.UNAUTHORIZED ? [translate('errors.signInTitle'), (exception as HttpException).message]
      : status === HttpStatus.FORBIDDEN ? [translate('errors.forbiddenTitle'), (exception as HttpException).message]
      : status === HttpStatus.NOT_FOUND ? [translate('errors.notFoundTitle'), translate('errors.notFound')]
      : status >= 500 ? [translate('errors.serverTitle'), translate('errors.server')]
      : [translate('errors.badRequestTitle'), (exception as HttpException).message];
    res.status(status).render('error', { title: heading, heading, message });
  }
}
