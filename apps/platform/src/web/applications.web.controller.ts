import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { ApplicantRegistrationService, ApplicantVersionDto, ContactPayoutService } from '@ps/applicants';
import {
  Application,
  applicationAbilities,
  ApplicationsService,
  ApproveDto,
  DraftDto,
  ExtendDto,
  isDecided,
  ReasonDto,
  SendBackDto,
  STATUSES,
  StimulusKind,
  ReviewService,
  VersionDto,
} from '@ps/applications';
import { CatalogueService } from '@ps/catalogue';
import { PageQueryDto } from '@ps/database';
import { Actor, scopeOf } from '@ps/identity';
import { brusselsInstantOf, formatBrussels, formatIban } from '@ps/kernel';
import { OrganisationsService } from '@ps/organisations';
import { TasksReadModel } from '@ps/tasks';
import { Access } from '../auth/access.decorator';
import { ownScope } from '../auth/own-scope';
import { DecisionLetters } from '../documents/decision-letters';
import { sendArchivedPdf } from '../documents/send-file';
import { byField, FormBody, FormInput, idsIn, indexed, requireVersion, runFormChange, validateForm, validFormInput, validInput } from './forms';
import { translate } from './i18n';
import { paginationView } from './pagination';
import { isActionOpen, RefusedForm } from './open-actions';
import { ParseIdPipe } from './parse-id.pipe';

const tenant = { kind: 'application' as const, param: 'id' };

/** A Brussels wall-clock time typed as JJJJ-MM-DDTuu:mm (the DTO checked the shape), or a refusal when it does not exist. */
const list = (value: unknown) => (value === undefined || value === '' ? [] : ([] as unknown[]).concat(value));

/** The action table form as the API's DraftDto. */
export function draftFromForm(body: FormBody): FormInput {
  const lineIds = idsIn(body, 'planned');
  const actions = idsIn(body, 'priority');
  const mentorship = body['mentorship-action'] || body['mentorship-motivation'];
  const draft = {
    version: body.version,
    lines: lineIds.map((id) => ({ kpiLineId: Number(id), plannedReach: body[`planned-${id}`], currentReach: body[`current-${id}`] })),
    priorities: actions.map((number) => ({ actionNumber: Number(number), priority: body[`priority-${number}`] })),
    cooperationStimulus: body['cooperation-stimulus'] === 'true',
    mentorship: mentorship ? { actionNumber: body['mentorship-action'], motivation: body['mentorship-motivation'] } : null,
    impactBond:
      body['impact-bond'] === 'true'
        ? {
            expertise: body['impact-expertise'],
            problem: body['impact-problem'],
            actionNumbers: list(body['impact-actions']),
            learningNetwork: body['impact-learning-network'] === 'true',
          }
        : null,
  };
  const fields: Record<string, string> = {
    'mentorship.motivation': 'mentorship-motivation',
    'mentorship.actionNumber': 'mentorship-action',
    'impactBond.expertise': 'impact-expertise',
    'impactBond.problem': 'impact-problem',
    'impactBond.actionNumbers': 'impact-actions',
  };
  return {
    input: draft,
    fieldOf: (path) => fields[path] ?? indexed(path, 'lines', (i) => `planned-${lineIds[i]}`) ?? indexed(path, 'priorities', (i) => `priority-${actions[i]}`),
  };
}

/** The review form's stimulus decisions: a radio "granted"/"refused" and a reason per requested stimulus. */
const STIMULUS_FIELDS: { kind: StimulusKind; field: string }[] = [
  { kind: 'cooperation', field: 'stimulus-cooperation' },
  { kind: 'mentorship', field: 'stimulus-mentorship' },
  { kind: 'impactBond', field: 'stimulus-impact-bond' },
];

/** The review form as the API's ApproveDto; a stimulus without a choice is left out, so the use case asks for the decision. */
export function approvalFromForm(body: FormBody): FormInput {
  const lineIds = idsIn(body, 'confirmed');
  const decided = STIMULUS_FIELDS.filter(({ field }) => body[field] === 'granted' || body[field] === 'refused');
  return {
    input: {
      version: body.version,
      confirmed: lineIds.map((id) => ({ kpiLineId: Number(id), quantity: body[`confirmed-${id}`], reason: body[`reduction-${id}`] })),
      stimuli: Object.fromEntries(decided.map(({ kind, field }) => [kind, { granted: body[field] === 'granted', reason: body[`${field}-reason`] }])),
    },
    fieldOf: (path) =>
      (path.endsWith('.reason') ? indexed(path, 'confirmed', (i) => `reduction-${lineIds[i]}`) : undefined) ??
      indexed(path, 'confirmed', (i) => `confirmed-${lineIds[i]}`) ??
      STIMULUS_FIELDS.map(({ kind, field }) =>
        path === `stimuli.${kind}.reason` ? `${field}-reason` : path.startsWith(`stimuli.${kind}.`) ? field : undefined,
      ).find(Boolean),
  };
}

/** The send-back form as the API's SendBackDto: a reason and a comment per KPI line. */
export function sendBackFromForm(body: FormBody): FormInput {
  const lineIds = idsIn(body, 'comment');
  return {
    input: {
      version: body.version,
      reason: String(body.reason ?? ''),
      comments: lineIds.map((id) => ({ kpiLineId: Number(id), comment: String(body[`comment-${id}`] ?? '') })),
    },
    fieldOf: (path) => indexed(path, 'comments', (i) => `comment-${lineIds[i]}`),
  };
}

/** The forms with only a version, or a version and a reason (reject, reopen), or a new deadline. */
const versionFromForm = (body: FormBody): FormInput => ({ input: { version: body.version } });
const reasonFromForm = (body: FormBody): FormInput => ({ input: { version: body.version, reason: String(body.reason ?? '') } });
const extensionFromForm = (body: FormBody): FormInput => ({
  input: { version: body.version, reason: String(body.reason ?? ''), until: String(body.until ?? '') },
});

@ApiExcludeController()
@Controller()
export class ApplicationsWebController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly review: ReviewService,
    private readonly applicants: ApplicantRegistrationService,
    private readonly contactPayout: ContactPayoutService,
    private readonly catalogue: CatalogueService,
    private readonly organisations: OrganisationsService,
    private readonly letters: DecisionLetters,
    private readonly tasks: TasksReadModel,
  ) {}

  @Get('aanvragen')
  @Access({ permission: 'applications:read', scopedByHandler: true })
  async queue(@Query() query: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    const [calls, provinces, menu] = await Promise.all([
      this.catalogue.listCalls(),
      this.organisations.provinces(),
      this.catalogue.latestCall().then((c) => this.catalogue.menu(c!)),
    ]);
    const status = STATUSES.find((s) => s === query.status);
    const year = calls.find((c) => String(c.yearNumber) === query.projectjaar)?.yearNumber;
    const objective = menu.find((o) => o.code === query.doelstelling)?.code;
    const province = provinces.find((p) => p === query.provincie);
    const own = ownScope(req.actor!, 'applications:read');
    // the page asked for: refused in Dutch when out of bounds; the filters above fall back to "all" instead
    const { value: paging, errors } = validateForm(PageQueryDto, { page: query.page, pageSize: query.pageSize });
    const queue = errors.length > 0 ? undefined : await this.review.queuePage({ year, status, objective, province, onlyForLocalGovernmentId: own }, paging);
    // An officer starts an application here too, not only from the applicant's page (issue 25).
    const startable = own !== undefined && scopeOf(req.actor!.role, 'applications:edit') ? await this.tasks.startable(own) : [];
    res.status(queue ? 200 : 422).render('applications', {
      startable: startable.map((s) => ({ ...s, closes: formatBrussels(s.closesAt) })),
      errors,
      total: queue?.total ?? 0,
      pagination:
        queue && paginationView(queue, '/aanvragen', { projectjaar: year, status, doelstelling: objective, provincie: province, pageSize: paging.pageSize }),
      title: translate('applications.queueTitle'),
      page: 'applications',
      items: (queue?.items ?? []).map((i) => ({ ...i, submitted: i.submittedAt ? formatBrussels(i.submittedAt) : '' })),
      calls: calls.map((c) => ({ value: c.yearNumber, label: c.nameNl, selected: c.yearNumber === year })),
      statuses: STATUSES.map((s) => ({ value: s, label: translate(`applications.statuses.${s}`), selected: s === status })),
      objectives: menu.map((o) => ({ value: o.code, label: o.nameNl, selected: o.code === objective })),
      provinces: provinces.map((p) => ({ value: p, label: p, selected: p === province })),
      filterLists: { projectjaar: 'calls', status: 'statuses', doelstelling: 'objectives', provincie: 'provinces' },
    });
  }

  @Post('aanvragers/:id/aanvraag')
  @Access({ permission: 'applications:edit', tenant: { kind: 'applicant', param: 'id' } })
  async start(@Param('id', ParseIdPipe) applicantId: number, @Req() req: Request, @Res() res: Response) {
    const existing = await this.applications.idFor(applicantId);
    const id = existing ?? (await this.applications.start(req.actor!, applicantId)).id;
    res.redirect(303, `/aanvragen/${id}`);
  }

  @Get('aanvragen/:id')
  @Access({ permission: 'applications:read', tenant })
  async page(@Param('id', ParseIdPipe) id: number, @Req() req: Request, @Res() res: Response) {
    res.render('application', await this.view(await this.applications.get(id), req.actor!));
  }

  @Post('aanvragen/:id')
  @Access({ permission: 'applications:edit', tenant })
  save(@Param('id', ParseIdPipe) id: number, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    return this.act(id, req, res, body, 'saved', 'reason', () => {
      const draft = validFormInput(DraftDto, draftFromForm(body));
      return this.applications.saveDraft(req.actor!, id, draft.version, draft, body.idempotencyKey);
    });
  }

  @Post('aanvragen/:id/indienen')
  @Access({ permission: 'applications:submit', tenant })
  submit(@Param('id', ParseIdPipe) id: number, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    return this.act(id, req, res, body, 'submitted', 'reason', () =>
      this.applications.submit(req.actor!, id, validFormInput(VersionDto, versionFromForm(body)).version),
    );
  }

  @Post('aanvragen/:id/behandelen')
  @Access({ permission: 'applications:review' })
  startReview(@Param('id', ParseIdPipe) id: number, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    return this.act(id, req, res, body, 'reviewStarted', 'reason', () =>
      this.applications.startReview(req.actor!, id, validFormInput(VersionDto, versionFromForm(body)).version),
    );
  }

  @Post('aanvragen/:id/goedkeuren')
  @Access({ permission: 'applications:review' })
  approve(@Param('id', ParseIdPipe) id: number, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    return this.act(id, req, res, body, 'approved', 'reason', () => this.review.approve(req.actor!, id, validFormInput(ApproveDto, approvalFromForm(body))));
  }

  @Post('aanvragen/:id/rekening-bevestigen')
  @Access({ permission: 'applications:review', tenant })
  confirmPayoutAccount(@Param('id', ParseIdPipe) id: number, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    return this.act(id, req, res, body, 'payoutConfirmed', 'reason', async () => {
      const application = await this.applications.get(id);
      await this.contactPayout.confirmPayoutChange(
        req.actor!,
        application.applicantId,
        validInput(ApplicantVersionDto, { version: body['applicant-version'] }).version,
      );
      return application;
    });
  }

  @Post('aanvragen/:id/afwijzen')
  @Access({ permission: 'applications:review' })
  reject(@Param('id', ParseIdPipe) id: number, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    return this.act(id, req, res, body, 'rejected', 'reject-reason', () => {
      const { version, reason } = validFormInput(ReasonDto, reasonFromForm(body));
      return this.review.reject(req.actor!, id, version, reason);
    });
  }

  @Post('aanvragen/:id/terugsturen')
  @Access({ permission: 'applications:review' })
  sendBack(@Param('id', ParseIdPipe) id: number, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    return this.act(id, req, res, body, 'returned', 'reason', () => {
      const { version, reason, comments } = validFormInput(SendBackDto, sendBackFromForm(body));
      return this.review.sendBack(req.actor!, id, version, reason ?? '', comments ?? []);
    });
  }

  @Post('aanvragen/:id/heropenen')
  @Access({ permission: 'applications:exceptions' })
  reopen(@Param('id', ParseIdPipe) id: number, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    return this.act(id, req, res, body, 'reopened', 'reopen-reason', () => {
      const { version, reason } = validFormInput(ReasonDto, reasonFromForm(body));
      return this.review.reopen(req.actor!, id, version, reason);
    });
  }

  @Post('aanvragen/:id/termijn-verlengen')
  @Access({ permission: 'applications:exceptions' })
  extend(@Param('id', ParseIdPipe) id: number, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    return this.act(id, req, res, body, 'extended', 'extend-reason', () => {
      const { version, reason, until } = validFormInput(ExtendDto, extensionFromForm(body));
      return this.review.extendDeadline(req.actor!, id, version, brusselsInstantOf(until, 'until'), reason);
    });
  }

  @Get('aanvragen/:id/beslissingsbrief')
  @Access({ permission: 'applications:read', tenant })
  async letter(@Param('id', ParseIdPipe) id: number, @Res() res: Response) {
    // Rendered before the type is set: a refusal (no decision yet) must leave as JSON, not as HTML.
    const html = await this.letters.render(id);
    res.type('html').send(html);
  }

  @Get('aanvragen/:id/beslissingsbrief.pdf')
  @Access({ permission: 'applications:read', tenant })
  async letterPdf(@Param('id', ParseIdPipe) id: number, @Res() res: Response) {
    sendArchivedPdf(res, await this.letters.pdf(id));
  }

  /**
   * Runs one step; on success back to the page with a notice, on a refusal the page again with the errors at the top.
   * Several forms on the page have a reason field: `reasonField` is the id of this form's one.
   */
  private async act(id: number, req: Request, res: Response, body: FormBody, done: string, reasonField: string, step: () => Promise<Application>) {
    const refused = await runFormChange(req, res, () => (requireVersion(body), step()), {
      url: `/aanvragen/${id}`,
      notice: translate(`applications.done.${done}`),
    });
    if (!refused) return;
    const errors = refused.errors.map((e) => (e.field === 'reason' ? { ...e, field: reasonField } : e));
    const fieldErrors = byField(errors);
    res.status(refused.status).render('application', {
      ...(await this.view(await this.applications.get(id), req.actor!, { submitted: body, fieldErrors })),
      errors,
      fieldErrors,
      submitted: body,
    });
  }

  /** The page's facts; after a refused save, `refused` keeps the actions open that were typed in or refused. */
  private async view(application: Application, actor: Actor, refused?: RefusedForm) {
    const abilities = applicationAbilities(application, actor);
    const call = await this.catalogue.getCallByYear(application.callYear);
    const menu = await this.catalogue.menu(call);
    const applicant = await this.applicants.get(application.applicantId);
    const objectives = menu
      .map((objective) => ({
        ...objective,
        actions: objective.actions
          .filter((action) => action.funded)
          .map((action) => {
            const shown = {
              ...action,
              priority: application.priorities[action.number] ?? ('' as const),
              lines: application.lines.filter((l) => l.actionNumber === action.number),
            };
            return { ...shown, open: isActionOpen(shown, refused) };
          }),
      }))
      .filter((o) => o.actions.length > 0);
    return {
      title: `${translate('applications.title')} – ${application.applicantNameNl}`,
      // A new key per rendered form: sending the same form twice (a retry after a timeout) saves once.
      idempotencyKey: randomUUID(),
      page: 'applications',
      application,
      objectives,
      ...abilities,
      cooperationStimulusCents: call.cooperationStimulusCents,
      decided: isDecided(application.status),
      showConfirmed: application.lines.some((l) => l.confirmedQuantity !== null),
      incompleteList: Object.entries(application.incomplete).map(([field, messages]) => ({ field, message: messages[0] })),
      windowMessage: application.window.message,
      allActions: menu.flatMap((o) => o.actions).map((a) => ({ number: a.number, titleNl: a.titleNl })),
      isSubmitted: application.status === 'ingediend',
      isInReview: application.status === 'in-behandeling',
      review: applicant && this.reviewFacts(application, applicant),
    };
  }

  /** What the reviewer sees besides the action table: eligibility as of now, a pending account change, the stimuli to decide. */
  private reviewFacts(application: Application, applicant: NonNullable<Awaited<ReturnType<ApplicantRegistrationService['get']>>>) {
    return {
      eligibility: applicant.eligibility,
      applicantVersion: applicant.version,
      invited: applicant.members
        .filter((m) => m.state === 'invited')
        .map((m) => m.nameNl)
        .join(', '),
      pendingPayout: applicant.payoutChangePending && { from: formatIban(applicant.confirmedPayoutIban!), to: formatIban(applicant.contact.iban!) },
      confirmedIban: applicant.confirmedPayoutIban && formatIban(applicant.confirmedPayoutIban),
      stimuli: STIMULUS_FIELDS.map(({ kind, field }) => ({
        kind,
        field,
        label: translate(`applications.stimulusNames.${kind}`),
        ...application.stimulusDecisions[kind],
        amountCents: {
          cooperation: application.stimulusAmounts.cooperationCents,
          mentorship: application.stimulusAmounts.mentorshipCents,
          impactBond: application.stimulusAmounts.impactBondCents,
        }[kind],
      })).filter((s) => s.requested || s.granted !== null),
    };
  }
}
