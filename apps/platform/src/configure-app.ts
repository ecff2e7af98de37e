import { UnprocessableEntityException, ValidationPipe } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { PlatformConfig } from '@ps/config';
import { fromRoot } from '@ps/kernel';
import { Messages } from '@ps/notifications';
import { configureAuth } from './auth/configure-auth';
import { HttpExceptionFilter } from './http-exception.filter';
import { observeRequests } from './observability/request-logging';
import { configureRequestLimits } from './request-limits';
import { pageLocals } from './web/page-locals';
import { unreadMessages } from './web/unread-messages';
import { configureViews } from './web/view-engine';
import { keepValidationRulesPerClass } from './validation-metadata';
import { validationErrors } from './validation-errors';

/** Everything an HTTP app needs beyond its modules; shared by main.ts and the tests. */
export function configureApp(app: NestExpressApplication, config: PlatformConfig): void {
  // First: every request gets its id, log line and timing, however it ends (docs/deployment.md, "Logs").
  observeRequests(app, config);
  app.disable('x-powered-by');
  // Express would hash every answer for a weak ETag; signed-in answers are no-store anyway, and the decision letters set
  // their own (SHA-256). Saves a hash per request at the deadline rush.
  app.disable('etag');
  keepValidationRulesPerClass();
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // The DTO instance on each error, so that validationErrors finds the fields' keys (never sent: only the messages are).
      validationError: { target: true },
      exceptionFactory: (errors) => new UnprocessableEntityException({ statusCode: 422, message: 'Ongeldige invoer', errors: validationErrors(errors) }),
    }),
  );
  app.useGlobalFilters(new HttpExceptionFilter());
  configureAuth(app, config);
  app.use(pageLocals);
  app.use(unreadMessages(app.get(Messages)));
  app.use((_req: unknown, res: { locals: Record<string, unknown> }, next: () => void) => {
    res.locals.demo = config.loadDemoData;
    next();
  });
  configureRequestLimits(app);
  app.useStaticAssets(fromRoot('node_modules', 'govuk-frontend', 'dist', 'govuk', 'assets'), { prefix: '/assets/govuk/', maxAge: '1d' });
  configureViews(app);

  const openApi = new DocumentBuilder()
    .setTitle('Plan Samenleven API')
    .setDescription(
      'JSON API of the Plan Samenleven subsidy platform. Amounts are integer euro cents; times are UTC instants (deadlines are Europe/Brussels wall-clock times).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A personal access token from "Mijn account"' })
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'api/docs-json' });
}
