import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import {
  ActionAddDto,
  ActionChangeDto,
  CALL_SETTING_KEYS,
  CALL_SETTINGS,
  CallLifeService,
  CallsAdministration,
  CallSettingsChange,
  CreateCallDto,
  euroField,
  KpiLineAddDto,
  ObjectiveAddDto,
  RECLAIM_RULES,
  settingsForm,
} from '@ps/applications';
import { CallState, CatalogueService } from '@ps/catalogue';
import { Access } from '../auth/access.decorator';
import { byField, formRefusal, requireVersion, runFormChange, validInput } from './forms';
import { redirectWithNotice } from './notice';
import { translate } from './i18n';
import { ParseIdPipe } from './parse-id.pipe';

@ApiExcludeController()
@Controller('beheer/oproepen')
export class CallsWebController {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly administration: CallsAdministration,
    private readonly life: CallLifeService,
  ) {}

  @Get()
  @Access({ permission: 'calls:manage' })
  async latest(@Res() res: Response) {
    const call = await this.catalogue.latestCall(true);
    res.redirect(303, `/beheer/oproepen/${call?.yearNumber ?? 1}`);
  }

  @Get('nieuw')
  @Access({ permission: 'calls:manage' })
  async newCall(@Res() res: Response) {
    res.render('call-new', await this.newView());
  }

  @Post('nieuw')
  @Access({ permission: 'calls:manage' })
  async create(@Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    try {
      const year = await this.life.createNext(req.actor!, validInput(CreateCallDto, body).fromYear);
      await redirectWithNotice(req, res, `/beheer/oproepen/${year}`, translate('calls.created', { year }));
    } catch (error) {
      const refused = formRefusal(error, 'fromYear');
      res.status(refused.status).render('call-new', { ...(await this.newView()), errors: refused.errors });
    }
  }

  @Get(':year')
  @Access({ permission: 'calls:manage' })
  async page(@Param('year', ParseIdPipe) year: number, @Res() res: Response) {
    res.render('call-settings', await this.view(year));
  }

  @Post(':year')
  @Access({ permission: 'calls:manage' })
  async save(@Param('year', ParseIdPipe) year: number, @Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    await this.attempt(year, req, res, body, () =>
      this.administration.updateSettings(req.actor!, year, { ...(body as Omit<CallSettingsChange, 'version'>), version: Number(body.version) }),
    );
  }

  @Post(':year/kpi/:kpiLineId')
  @Access({ permission: 'calls:manage' })
  async kpiLine(
    @Param('year', ParseIdPipe) year: number,
    @Param('kpiLineId', ParseIdPipe) kpiLineId: number,
    @Body() body: Record<string, string>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.attempt(year, req, res, {}, () =>
      this.administration.updateKpiLine(req.actor!, year, kpiLineId, {
        maxQuantity: body.maxQuantity,
        unitAmountEuro: body.unitAmountEuro,
        version: Number(body.version),
      }),
    );
  }

  @Post(':year/publiceren')
  @Access({ permission: 'calls:manage' })
  async publish(@Param('year', ParseIdPipe) year: number, @Req() req: Request, @Res() res: Response) {
    await this.step(year, req, res, 'published');
  }

  @Post(':year/afsluiten')
  @Access({ permission: 'calls:manage' })
  async close(@Param('year', ParseIdPipe) year: number, @Req() req: Request, @Res() res: Response) {
    await this.step(year, req, res, 'closed');
  }

  @Post(':year/doelstellingen')
  @Access({ permission: 'calls:manage' })
  async addObjective(@Param('year', ParseIdPipe) year: number, @Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    await this.attempt(year, req, res, body, () => this.life.addObjective(req.actor!, year, validInput(ObjectiveAddDto, body)));
  }

  @Post(':year/acties')
  @Access({ permission: 'calls:manage' })
  async addAction(@Param('year', ParseIdPipe) year: number, @Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    await this.attempt(year, req, res, body, () => this.life.addAction(req.actor!, year, validInput(ActionAddDto, body)));
  }

  @Post(':year/acties/:actionNumber')
  @Access({ permission: 'calls:manage' })
  async changeAction(
    @Param('year', ParseIdPipe) year: number,
    @Param('actionNumber', ParseIdPipe) actionNumber: number,
    @Body() body: Record<string, string>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.attempt(year, req, res, {}, () => this.life.changeAction(req.actor!, year, actionNumber, validInput(ActionChangeDto, body)));
  }

  @Post(':year/acties/:actionNumber/schrappen')
  @Access({ permission: 'calls:manage' })
  async retireAction(
    @Param('year', ParseIdPipe) year: number,
    @Param('actionNumber', ParseIdPipe) actionNumber: number,
    @Body() body: Record<string, string>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.attempt(year, req, res, {}, () => this.life.retireAction(req.actor!, year, actionNumber, Number(body.version)));
  }

  @Post(':year/kpi')
  @Access({ permission: 'calls:manage' })
  async addKpiLine(@Param('year', ParseIdPipe) year: number, @Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    await this.attempt(year, req, res, body, () => this.life.addKpiLine(req.actor!, year, validInput(KpiLineAddDto, body)));
  }

  @Post(':year/kpi/:kpiLineId/schrappen')
  @Access({ permission: 'calls:manage' })
  async retireKpiLine(
    @Param('year', ParseIdPipe) year: number,
    @Param('kpiLineId', ParseIdPipe) kpiLineId: number,
    @Body() body: Record<string, string>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.attempt(year, req, res, {}, () => this.life.retireKpiLine(req.actor!, year, kpiLineId, Number(body.version)));
  }

  private step(year: number, req: Request, res: Response, target: CallState) {
    return this.attempt(
      year,
      req,
      res,
      {},
      () => this.life.moveTo(req.actor!, year, target, Number(req.body?.version)),
      translate(`calls.states.done.${target}`),
    );
  }

  private async newView() {
    const latest = (await this.catalogue.latestCall(true))!;
    return { title: translate('calls.newTitle'), page: 'calls', latest, nextYear: latest.yearNumber + 1, draft: latest.state === 'draft' };
  }

  private async attempt(
    year: number,
    req: Request,
    res: Response,
    submitted: Record<string, string>,
    change: () => Promise<unknown>,
    notice = translate('calls.saved'),
  ) {
    const refused = await runFormChange(req, res, () => (requireVersion(req.body), change()), { url: `/beheer/oproepen/${year}`, notice });
    if (!refused) return;
    res.status(refused.status).render('call-settings', { ...(await this.view(year)), errors: refused.errors, fieldErrors: byField(refused.errors), submitted });
  }

  private async view(year: number) {
    const call = await this.catalogue.getCallByYear(year, true);
    const [menu, submitted, calls] = await Promise.all([this.catalogue.menu(call), this.administration.submittedCount(year), this.catalogue.listCalls(true)]);
    const choices = new Set(['reclaimRule', 'onlyExistingApplicants']);
    const field = (name: (typeof CALL_SETTING_KEYS)[number]) => ({ name, locked: submitted > 0 && CALL_SETTINGS[name].frozen });
    return {
      title: translate('calls.title', { name: call.nameNl }),
      page: 'calls',
      call,
      form: settingsForm(call),
      submittedCount: submitted,
      fields: CALL_SETTING_KEYS.filter((name) => !choices.has(name)).map(field),
      reclaim: field('reclaimRule'),
      onlyExisting: field('onlyExistingApplicants'),
      choices: { reclaimRule: RECLAIM_RULES, onlyExistingApplicants: ['false', 'true'] },
      lines: menu.flatMap((o) => o.actions).flatMap((a) => a.kpiLines.map((l) => ({ ...l, titleNl: a.titleNl, amountEuro: euroField(l.unitAmountCents) }))),
      draft: call.state === 'draft',
      published: call.state === 'published',
      stateNl: translate(`calls.states.${call.state}`),
      calls: calls.map((c) => ({ yearNumber: c.yearNumber, nameNl: c.nameNl, stateNl: translate(`calls.states.${c.state}`), current: c.id === call.id })),
      menu,
      actions: menu.flatMap((o) => o.actions),
    };
  }
}
