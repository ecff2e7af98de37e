import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { DateTime } from 'luxon';
import { CallSettingsInput, CallsAdministration } from '@ps/applications';
import { Call, CatalogueService } from '@ps/catalogue';
import { BRUSSELS } from '@ps/kernel';
import { Access } from '../auth/access.decorator';
import { byField, requireVersion, runFormChange } from './forms';
import { translate } from './i18n';
import { ParseIdPipe } from './parse-id.pipe';

const local = (instant: Date | null) => (instant ? DateTime.fromJSDate(instant, { zone: BRUSSELS }).toFormat("yyyy-MM-dd'T'HH:mm") : '');
/** Flemish notation without thousands separators: 16970780 or 62,50. */
const euros = (cents: number | null) => (cents === null ? '' : (cents / 100).toFixed(2).replace(/\.00$/, '').replace('.', ','));

/** The settings of a call as its form shows them: Brussels wall-clock times and euro amounts. */
function settingsForm(call: Call): CallSettingsInput {
  return {
    version: call.version, submissionOpens: local(call.submissionOpensAt), submissionCloses: local(call.submissionClosesAt),
    projectStart: call.projectStart, projectEnd: call.projectEnd, budgetEuro: euros(call.budgetCents),
    interimReportDue: local(call.interimReportDueAt), finalReportDue: local(call.finalReportDueAt),
    cooperationStimulusEuro: euros(call.cooperationStimulusCents), mentorshipStimulusEuro: euros(call.mentorshipStimulusCents), impactBondStimulusEuro: euros(call.impactBondStimulusCents),
    eligibilityThreshold: String(call.eligibilityThreshold), interimThresholdPercent: String(call.interimThresholdPercent), reclaimRule: call.reclaimRule,
  };
}

@ApiExcludeController()
@Controller('beheer/oproepen')
export class CallsWebController {
  constructor(private readonly catalogue: CatalogueService, private readonly administration: CallsAdministration) {}

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
    await this.attempt(year, req, res, body, () => this.administration.updateSettings(req.actor!, year, { ...(body as unknown as CallSettingsInput), version: Number(body.version) }));
  }

  @Post(':year/kpi/:kpiLineId')
  @Access({ permission: 'calls:manage' })
  async kpiLine(@Param('year', ParseIdPipe) year: number, @Param('kpiLineId', ParseIdPipe) kpiLineId: number, @Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    await this.attempt(year, req, res, {}, () =>
      this.administration.updateKpiLine(req.actor!, year, kpiLineId, { maxQuantity: body.maxQuantity, unitAmountEuro: body.unitAmountEuro, version: Number(body.version) }));
  }

  private async attempt(year: number, req: Request, res: Response, submitted: Record<string, string>, change: () => Promise<void>) {
    const refused = await runFormChange(req, res, () => (requireVersion(req.body), change()), { url: `/beheer/oproepen/${year}`, notice: translate('calls.saved') });
    if (!refused) return;
    res.status(refused.status).render('call-settings', { ...(await this.view(year)), errors: refused.errors, fieldErrors: byField(refused.errors), submitted });
  }

  private async view(year: number) {
    const call = await this.catalogue.getCallByYear(year);
    const menu = await this.catalogue.menu(call);
    return {
      title: translate('calls.title', { name: call.nameNl }), page: 'calls', call, form: settingsForm(call),
      fields: ['submissionOpens', 'submissionCloses', 'projectStart', 'projectEnd', 'budgetEuro', 'interimReportDue', 'finalReportDue',
        'cooperationStimulusEuro', 'mentorshipStimulusEuro', 'impactBondStimulusEuro', 'eligibilityThreshold', 'interimThresholdPercent'],
      lines: menu.flatMap((o) => o.actions).flatMap((a) => a.kpiLines.map((l) => ({ ...l, titleNl: a.titleNl, amountEuro: euros(l.unitAmountCents) }))),
    };
  }
}
