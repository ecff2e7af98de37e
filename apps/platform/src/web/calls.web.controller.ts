import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { CALL_SETTING_KEYS, CALL_SETTINGS, CallsAdministration, CallSettingsChange, euroField, RECLAIM_RULES, settingsForm } from '@ps/applications';
import { CatalogueService } from '@ps/catalogue';
import { Access } from '../auth/access.decorator';
import { byField, requireVersion, runFormChange } from './forms';
import { translate } from './i18n';
import { ParseIdPipe } from './parse-id.pipe';

@ApiExcludeController()
@Controller('beheer/oproepen')
export class CallsWebController {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly administration: CallsAdministration,
  ) {}

  @Get()
  @Access({ permission: 'calls:manage' })
  async latest(@Res() res: Response) {
    const call = await this.catalogue.latestCall();
    res.redirect(303, `/beheer/oproepen/${call?.yearNumber ?? 1}`);
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

  private async attempt(year: number, req: Request, res: Response, submitted: Record<string, string>, change: () => Promise<unknown>) {
    const refused = await runFormChange(req, res, () => (requireVersion(req.body), change()), {
      url: `/beheer/oproepen/${year}`,
      notice: translate('calls.saved'),
    });
    if (!refused) return;
    res.status(refused.status).render('call-settings', { ...(await this.view(year)), errors: refused.errors, fieldErrors: byField(refused.errors), submitted });
  }

  private async view(year: number) {
    const call = await this.catalogue.getCallByYear(year);
    const [menu, submitted] = await Promise.all([this.catalogue.menu(call), this.administration.submittedCount(year)]);
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
    };
  }
}
