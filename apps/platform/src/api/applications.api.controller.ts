import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import {
  ApplicationsService,
  ApproveDto,
  DraftDto,
  EvaluationDto,
  ExtendDto,
  ReasonDto,
  QueuePageQuery,
  ReviewService,
  SendBackDto,
  VersionDto,
} from '@ps/applications';
import { Actor } from '@ps/identity';
import { brusselsInstantOf } from '@ps/kernel';
import { Access } from '../auth/access.decorator';
import { ownScope } from '../auth/own-scope';
import { DecisionLetters } from '../documents/decision-letters';
import { sendArchivedPdf } from '../documents/send-file';
import { CurrentActor } from './actor.decorator';
import { IdParams, LineParams } from './params';

const tenant = { kind: 'application' as const, param: 'id' };

@ApiTags('applications')
@ApiBearerAuth()
@Controller('api/v1')
export class ApplicationsApiController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly review: ReviewService,
    private readonly letters: DecisionLetters,
  ) {}

  /** The review queue, a page at a time: `{ items, page, pageSize, total, pages }`. */
  @Get('applications')
  @Access({ permission: 'applications:read', scopedByHandler: true })
  queue(@CurrentActor() actor: Actor, @Query() query: QueuePageQuery) {
    const { page, pageSize, ...filter } = query;
    return this.review.queuePage({ ...filter, onlyForLocalGovernmentId: ownScope(actor, 'applications:read') }, { page, pageSize });
  }

  @Post('applicants/:id/application')
  @HttpCode(201)
  @Access({ permission: 'applications:edit', tenant: { kind: 'applicant', param: 'id' } })
  start(@CurrentActor() actor: Actor, @Param() { id }: IdParams) {
    return this.applications.start(actor, id);
  }

  @Get('applications/:id')
  @Access({ permission: 'applications:read', tenant })
  get(@Param() { id }: IdParams) {
    return this.applications.get(id);
  }

  @Put('applications/:id')
  @Access({ permission: 'applications:edit', tenant })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A key of your choice (8–100 letters, digits, . : _ -) per save: repeating the request with it returns the first answer instead of a 409.',
  })
  save(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Body() body: DraftDto, @Headers('idempotency-key') idempotencyKey?: string) {
    return this.applications.saveDraft(actor, id, body.version, body, idempotencyKey);
  }

  @Post('applications/:id/submit')
  @HttpCode(200)
  @Access({ permission: 'applications:submit', tenant })
  submit(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Body() { version }: VersionDto) {
    return this.applications.submit(actor, id, version);
  }

  @Post('applications/:id/start-review')
  @HttpCode(200)
  @Access({ permission: 'applications:review' })
  startReview(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Body() { version }: VersionDto) {
    return this.applications.startReview(actor, id, version);
  }

  @Post('applications/:id/approve')
  @HttpCode(200)
  @Access({ permission: 'applications:review' })
  approve(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Body() body: ApproveDto) {
    return this.review.approve(actor, id, body);
  }

  @Post('applications/:id/reject')
  @HttpCode(200)
  @Access({ permission: 'applications:review' })
  reject(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Body() body: ReasonDto) {
    return this.review.reject(actor, id, body.version, body.reason);
  }

  @Post('applications/:id/return')
  @HttpCode(200)
  @Access({ permission: 'applications:review' })
  sendBack(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Body() body: SendBackDto) {
    return this.review.sendBack(actor, id, body.version, body.reason ?? '', body.comments ?? []);
  }

  @Put('applications/:id/lines/:kpiLineId/evaluation')
  @Access({ permission: 'applications:review' })
  evaluate(@CurrentActor() actor: Actor, @Param() { id, kpiLineId }: LineParams, @Body() body: EvaluationDto) {
    return this.review.recordEvaluation(actor, id, body.version, kpiLineId, {
      interimRealised: body.interimRealised ?? null,
      positiveEvaluation: body.positiveEvaluation,
      overrideReason: body.overrideReason ?? null,
    });
  }

  @Post('applications/:id/reopen')
  @HttpCode(200)
  @Access({ permission: 'applications:exceptions' })
  reopen(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Body() body: ReasonDto) {
    return this.review.reopen(actor, id, body.version, body.reason);
  }

  @Post('applications/:id/extend-deadline')
  @HttpCode(200)
  @Access({ permission: 'applications:exceptions' })
  extend(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Body() body: ExtendDto) {
    return this.review.extendDeadline(actor, id, body.version, brusselsInstantOf(body.until, 'until'), body.reason);
  }

  @Get('applications/:id/decision-letter')
  @Access({ permission: 'applications:read', tenant })
  async letter(@Param() { id }: IdParams, @Res() res: Response) {
    // Rendered before the type is set: a refusal (no decision yet) must leave as JSON, not as HTML.
    const html = await this.letters.render(id);
    res.type('html').send(html);
  }

  /** The letter as PDF, as first sent for the approval or the published allocation; its SHA-256 is the ETag. */
  @Get('applications/:id/decision-letter.pdf')
  @Access({ permission: 'applications:read', tenant })
  async letterPdf(@Param() { id }: IdParams, @Res() res: Response) {
    sendArchivedPdf(res, await this.letters.pdf(id));
  }
}
