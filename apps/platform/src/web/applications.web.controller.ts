import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { ApplicantsService } from '@ps/applicants';
import { Application, ApplicationsService, ApprovalInput, DraftInput, STATUSES, StimulusKind } from '@ps/applications';
import { CatalogueService } from '@ps/catalogue';
import { Actor, scopeOf } from '@ps/identity';
import { brusselsToInstant, formatBrussels, formatIban, FieldErrors } from '@ps/kernel';
import { OrganisationsService } from '@ps/organisations';
import { Access } from '../auth/access.decorator';
import { ownScope } from '../auth/own-scope';
import { DecisionLetters } from './decision-letters';
import { byField, requireVersion, runFormChange } from './forms';
import { translate } from './i18n';
import { ParseIdPipe } from './parse-id.pipe';

const tenant = { kind: 'application' as const, param: 'id' };
type FormBody = Record<string, unknown>;

/** A Brussels wall-clock time typed as JJJJ-MM-DDTuu:mm, or null when it is not one (or does not exist). */
function parseBrussels(text: string): Date | null {
  try {
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text) ? brusselsToInstant(text) : null;
  } catch {
    return null;
  }
}

/** The flat fields of the action table form as the draft the rules check. */
export function draftFromForm(body: FormBody): DraftInput {
  const lineIds = Object.keys(body).filter((k) => /^planned-\d+$/.test(k)).map((k) => k.slice('planned-'.length));
  return {
    lines: lineIds.map((id) => ({ kpiLineId: Number(id), plannedReach: body[`planned-${id}`], currentReach: body[`current-${id}`] })),
    priorities: Object.keys(body).filter((k) => /^priority-\d+$/.test(k)).map((k) => ({ actionNumber: Number(k.slice('priority-'.length)), priority: body[k] })),
    cooperationStimulus: body['cooperation-stimulus'] === 'true',
    mentorship: body['mentorship-action'] || body['mentorship-motivation'] ? { actionNumber: body['mentorship-action'], motivation: body['mentorship-motivation'] } : null,
    impactBond: body['impact-bond'] === 'true'
      ? { expertise: body['impact-expertise'], problem: body['impact-problem'], actionNumbers: body['impact-actions'], learningNetwork: body['impact-learning-network'] === 'true' }
      : null,
  };
}

/** The review form's stimulus decisions: a radio "granted"/"refused" and a reason per requested stimulus. */
const STIMULUS_FIELDS: { kind: StimulusKind; field: string }[] = [
  { kind: 'cooperation', field: 'stimulus-cooperation' }, { kind: 'mentorship', field: 'stimulus-mentorship' }, { kind: 'impactBond', field: 'stimulus-impact-bond' },
];

export function approvalFromForm(body: FormBody): ApprovalInput {
  const confirmed = Object.keys(body).filter((k) => /^confirmed-\d+$/.test(k)).map((k) => ({ kpiLineId: Number(k.slice('confirmed-'.length)), quantity: body[k] }));
  const stimuli = Object.fromEntries(STIMULUS_FIELDS.filter(({ field }) => body[field] !== undefined).map(({ kind, field }) => [
    kind, { granted: body[field] === 'granted' ? true : body[field] === 'refused' ? false : null, reason: body[`${field}-reason`] },
  ]));
  return { version: Number(body.version), confirmed, stimuli };
}

@ApiExcludeController()
@Controller()
export class ApplicationsWebController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly applicants: ApplicantsService,
    private readonly catalogue: CatalogueService,
    private readonly organisations: OrganisationsService,
    private readonly letters: DecisionLetters,
  ) {}

  @Get('aanvragen')
  @Access({ permission: 'applications:read', scopedByHandler: true })
  async queue(@Query() query: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    const [calls, provinces, menu] = await Promise.all([this.catalogue.listCalls(), this.organisations.provinces(), this.catalogue.latestCall().then((c) => this.catalogue.menu(c!))]);
    const status = STATUSES.find((s) => s === query.status);
    const year = calls.find((c) => String(c.yearNumber) === query.projectjaar)?.yearNumber;
    const objective = menu.find((o) => o.code === query.doelstelling)?.code;
    const province = provinces.find((p) => p === query.provincie);
    const items = await this.applications.queue({ year, status, objective, province, onlyForLocalGovernmentId: ownScope(req.actor!, 'applications:read') });
    res.render('applications', {
      title: translate('applications.queueTitle'), page: 'applications', items: items.map((i) => ({ ...i, submitted: i.submittedAt ? formatBrussels(i.submittedAt) : '' })),
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
    return this.act(id, req, res, body, 'saved', 'reason', () => this.applications.saveDraft(req.actor!, id, Number(body.version), draftFromForm(body)));
  }

  @Post('aanvragen/:id/indienen')
  @Access({ permission: 'applications:submit', tenant })
  submit(@Param('id', ParseIdPipe) id: number, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    return this.act(id, req, res, body, 'submitted', 'reason', () => this.applications.submit(req.actor!, id, Number(body.version)));
  }

  @Post('aanvragen/:id/behandelen')
  @Access({ permission: 'applications:review' })
  startReview(@Param('id', ParseIdPipe) id: number, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    return this.act(id, req, res, body, 'reviewStarted', 'reason', () => this.applications.startReview(req.actor!, id, Number(body.version)));
  }

  @Post('aanvragen/:id/goedkeuren')
  @Access({ permission: 'applications:review' })
  approve(@Param('id', ParseIdPipe) id: number, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    return this.act(id, req, res, body, 'approved', 'reason', () => this.applications.approve(req.actor!, id, approvalFromForm(body)));
  }

  @Post('aanvragen/:id/rekening-bevestigen')
  @Access({ permission: 'applications:review', tenant })
  confirmPayoutAccount(@Param('id', ParseIdPipe) id: number, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    return this.act(id, req, res, body, 'payoutConfirmed', 'reason', async () => {
      const application = await this.applications.get(id);
      await this.applicants.confirmPayoutChange(req.actor!, application.applicantId, Number(body['applicant-version']));
      return application;
    });
  }

  @Post('aanvragen/:id/afwijzen')
  @Access({ permission: 'applications:review' })
  reject(@Param('id', ParseIdPipe) id: number, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    return this.act(id, req, res, body, 'rejected', 'reject-reason', () => this.applications.reject(req.actor!, id, Number(body.version), String(body.reason ?? '')));
  }

  @Post('aanvragen/:id/terugsturen')
  @Access({ permission: 'applications:review' })
  sendBack(@Param('id', ParseIdPipe) id: number, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    const comments = Object.keys(body).filter((k) => /^comment-\d+$/.test(k)).map((k) => ({ kpiLineId: Number(k.slice('comment-'.length)), comment: String(body[k] ?? '') }));
    return this.act(id, req, res, body, 'returned', 'reason', () => this.applications.sendBack(req.actor!, id, Number(body.version), String(body.reason ?? ''), comments));
  }

  @Post('aanvragen/:id/heropenen')
  @Access({ permission: 'applications:exceptions' })
  reopen(@Param('id', ParseIdPipe) id: number, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    return this.act(id, req, res, body, 'reopened', 'reopen-reason', () => this.applications.reopen(req.actor!, id, Number(body.version), String(body.reason ?? '')));
  }

  @Post('aanvragen/:id/termijn-verlengen')
  @Access({ permission: 'applications:exceptions' })
  extend(@Param('id', ParseIdPipe) id: number, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    return this.act(id, req, res, body, 'extended', 'extend-reason', () => {
      const until = parseBrussels(String(body.until ?? ''));
      if (!until) throw new FieldErrors({ until: ['Geef de nieuwe termijn als JJJJ-MM-DDTuu:mm (Brusselse tijd).'] });
      return this.applications.extendDeadline(req.actor!, id, Number(body.version), until, String(body.reason ?? ''));
    });
  }

  @Get('aanvragen/:id/beslissingsbrief')
  @Access({ permission: 'applications:read', tenant })
  async letter(@Param('id', ParseIdPipe) id: number, @Res() res: Response) {
    res.type('html').send(await this.letters.render(id));
  }

  /**
   * Runs one step; on success back to the page with a notice, on a refusal the page again with the errors at the top.
   * Several forms on the page have a reason field: `reasonField` is the id of this form's one.
   */
  private async act(id: number, req: Request, res: Response, body: FormBody, done: string, reasonField: string, step: () => Promise<Application>) {
    const refused = await runFormChange(req, res, () => (requireVersion(body), step()), { url: `/aanvragen/${id}`, notice: translate(`applications.done.${done}`) });
    if (!refused) return;
    const errors = refused.errors.map((e) => (e.field === 'reason' ? { ...e, field: reasonField } : e));
    res.status(refused.status).render('application', { ...(await this.view(await this.applications.get(id), req.actor!)), errors, fieldErrors: byField(errors), submitted: body });
  }

  private async view(application: Application, actor: Actor) {
    const role = actor.role;
    const officer = role === 'municipal-officer';
    const editable = officer && (application.status === 'concept' || application.status === 'terug-naar-aanvrager');
    const call = await this.catalogue.getCallByYear(application.callYear);
    const menu = await this.catalogue.menu(call);
    const applicant = await this.applicants.get(application.applicantId);
    const objectives = menu.map((objective) => ({
      ...objective,
      actions: objective.actions
        .filter((action) => action.funded)
        .map((action) => ({ ...action, priority: application.priorities[action.number] ?? '', lines: application.lines.filter((l) => l.actionNumber === action.number) })),
    })).filter((o) => o.actions.length > 0);
    return {
      title: `${translate('applications.title')} – ${application.applicantNameNl}`, page: 'applications', application, objectives, editable,
      cooperationStimulusCents: call.cooperationStimulusCents,
      canSubmit: editable && !!scopeOf(role, 'applications:submit') && actor.localGovernmentId === application.leadLocalGovernmentId,
      canReview: !!scopeOf(role, 'applications:review'), canExcept: !!scopeOf(role, 'applications:exceptions'),
      decided: application.status === 'goedgekeurd' || application.status === 'afgewezen',
      showConfirmed: application.lines.some((l) => l.confirmedQuantity !== null),
      incompleteList: Object.entries(application.incomplete).map(([field, messages]) => ({ field, message: messages[0] })),
      windowMessage: application.window.message,
      allActions: menu.flatMap((o) => o.actions).map((a) => ({ number: a.number, titleNl: a.titleNl })),
      isSubmitted: application.status === 'ingediend', isInReview: application.status === 'in-behandeling',
      review: applicant && this.reviewFacts(application, applicant),
    };
  }

  /** What the reviewer sees besides the action table: eligibility as of now, a pending account change, the stimuli to decide. */
  private reviewFacts(application: Application, applicant: NonNullable<Awaited<ReturnType<ApplicantsService['get']>>>) {
    return {
      eligibility: applicant.eligibility,
      applicantVersion: applicant.version,
      invited: applicant.members.filter((m) => m.state === 'invited').map((m) => m.nameNl).join(', '),
      pendingPayout: applicant.payoutChangePending && { from: formatIban(applicant.confirmedPayoutIban!), to: formatIban(applicant.contact.iban!) },
      confirmedIban: applicant.confirmedPayoutIban && formatIban(applicant.confirmedPayoutIban),
      stimuli: STIMULUS_FIELDS.map(({ kind, field }) => ({
        kind, field, label: translate(`applications.stimulusNames.${kind}`), ...application.stimulusDecisions[kind],
        amountCents: { cooperation: application.stimulusAmounts.cooperationCents, mentorship: application.stimulusAmounts.mentorshipCents, impactBond: application.stimulusAmounts.impactBondCents }[kind],
      })).filter((s) => s.requested || s.granted !== null),
    };
  }
}
