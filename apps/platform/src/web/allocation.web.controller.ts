import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import {
  AllocationService,
  ProposalsService,
  PublishDto,
  ResultDto,
  roundLabel,
  RunPageQuery,
  RunView,
  SettlementService,
  Share,
  SimulateDto,
} from '@ps/allocation';
import { CatalogueService } from '@ps/catalogue';
import { PageQueryDto } from '@ps/database';
import { asSeenBy, scopeOf } from '@ps/identity';
import { Access } from '../auth/access.decorator';
import { paymentListCsv } from '../documents/payment-list';
import { sendCsv } from '../documents/send-file';
import { byField, formRefusal, validateForm, validInput } from './forms';
import { redirectWithNotice } from './notice';
import { paginationView } from './pagination';
import { ParseIdPipe } from './parse-id.pipe';

/** Per action of a share: its round and what that round did to it, for the run page. */
function actionRows(share: Share) {
  const roundOf = new Map<number, Share['lines'][number]['round']>();
  for (const line of share.lines) if (!roundOf.has(line.actionNumber)) roundOf.set(line.actionNumber, line.round);
  return share.actions.map((action) => ({
    ...action,
    round: roundLabel(roundOf.get(action.actionNumber)!),
    outcome: action.allocatedCents === action.confirmedCents ? 'volledig' : action.allocatedCents === 0 ? 'niets' : 'verkleind',
  }));
}

const PAYMENT_KIND_NL: Record<string, string> = { advance: 'voorschot', balance: 'saldo', recovery: 'terugvordering' };

const ratio = (scale?: { numerator: string; denominator: string }) => (scale ? `${scale.numerator}/${scale.denominator}` : '');

/** The allocation pages: ABB simulates, compares and publishes; an officer reads the own applicant's share. */
@ApiExcludeController()
@Controller()
export class AllocationWebController {
  constructor(
    private readonly allocation: AllocationService,
    private readonly settlements: SettlementService,
    private readonly catalogue: CatalogueService,
    private readonly proposals: ProposalsService,
  ) {}

  @Get('verdeling')
  @Access({ permission: 'allocation:read' })
  async latest(@Res() res: Response) {
    const call = await this.catalogue.latestCall();
    res.redirect(303, `/verdeling/${call?.yearNumber ?? 1}`);
  }

  @Get('verdeling/:year')
  @Access({ permission: 'allocation:read' })
  async runs(@Param('year', ParseIdPipe) year: number, @Req() req: Request, @Res() res: Response) {
    res.render('allocation-runs', await this.runsView(year, req));
  }

  @Post('verdeling/:year')
  @Access({ permission: 'allocation:manage' })
  async simulate(@Param('year', ParseIdPipe) year: number, @Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    const submitted = { budgetEuro: body.budgetEuro ?? '', policy: body.policy ?? '', stimuliFirst: body.stimuliFirst ?? '' };
    try {
      const input = validInput(SimulateDto, {
        budgetEuro: submitted.budgetEuro,
        policy: submitted.policy || undefined,
        stimuliFirst: submitted.stimuliFirst === '' ? undefined : submitted.stimuliFirst === 'true',
      });
      const run = await this.allocation.simulate(req.actor!, year, input);
      await redirectWithNotice(req, res, `/verdelingen/${run.id}`, `Simulatie ${run.id} is berekend.`);
    } catch (error) {
      const refused = formRefusal(error, 'budgetEuro');
      res
        .status(refused.status)
        .render('allocation-runs', { ...(await this.runsView(year, req)), errors: refused.errors, fieldErrors: byField(refused.errors), submitted });
    }
  }

  @Get('verdelingen/:id')
  @Access({ permission: 'allocation:read' })
  async run(@Param('id', ParseIdPipe) id: number, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    // `vergelijkMet` is the form's name for `compareWith`; a refused value shows the run's first page with the errors
    const asked = { compareWith: query.vergelijkMet === '' ? undefined : query.vergelijkMet, page: query.page, pageSize: query.pageSize };
    try {
      const input = validInput(RunPageQuery, asked);
      const view = await this.runView(await this.allocation.run(id, input.compareWith, input), req, {
        vergelijkMet: input.compareWith,
        pageSize: input.pageSize,
      });
      res.render('allocation-run', view);
    } catch (error) {
      const refused = formRefusal(error, 'vergelijkMet');
      const errors = refused.errors.map((e) => ({ ...e, field: e.field === 'compareWith' ? 'vergelijkMet' : e.field }));
      res
        .status(refused.status)
        .render('allocation-run', { ...(await this.runView(await this.allocation.run(id), req)), errors, fieldErrors: byField(errors) });
    }
  }

  @Post('verdelingen/:id/publiceren')
  @Access({ permission: 'allocation:manage' })
  async publish(@Param('id', ParseIdPipe) id: number, @Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    const submitted = { confirmPendingReview: body.confirmPendingReview === 'true', reason: body.reason ?? '' };
    try {
      const input = validInput(PublishDto, submitted);
      // Publishing happens once and puts every advance on the payment list: first the totals, then a confirmed POST.
      if (body.confirmed !== 'ja') {
        const preview = await this.allocation.publicationPreview(id, input);
        res.status(200).render('allocation-publish-confirm', {
          title: `Verdeling ${id} van projectjaar ${preview.callYear} publiceren?`,
          page: 'allocation',
          runId: id,
          preview,
          submitted,
        });
        return;
      }
      const proposal = await this.proposals.proposePublication(req.actor!, id, input);
      await redirectWithNotice(
        req,
        res,
        `/voorstellen/${proposal.id}`,
        'Uw voorstel om de verdeling te publiceren wacht op de goedkeuring van een tweede persoon van ABB.',
      );
    } catch (error) {
      const refused = formRefusal(error, 'publish');
      const view = await this.runView(await this.allocation.run(id), req);
      res.status(refused.status).render('allocation-run', { ...view, errors: refused.errors, fieldErrors: byField(refused.errors), submitted });
    }
  }

  @Post('verdelingen/:id/vrijgeven')
  @Access({ permission: 'allocation:manage' })
  async release(@Param('id', ParseIdPipe) id: number, @Req() req: Request, @Res() res: Response) {
    try {
      const proposal = await this.proposals.proposeRelease(req.actor!, id);
      await redirectWithNotice(
        req,
        res,
        `/voorstellen/${proposal.id}`,
        'Uw voorstel om de betaallijst vrij te geven wacht op de goedkeuring van een tweede persoon van ABB.',
      );
    } catch (error) {
      const refused = formRefusal(error, 'release');
      res.status(refused.status).render('allocation-run', {
        ...(await this.runView(await this.allocation.run(id), req)),
        errors: refused.errors,
        fieldErrors: byField(refused.errors),
      });
    }
  }

  /** The final payment list for finance: released payments only. */
  @Get('verdelingen/:id/betaallijst')
  @Access({ permission: 'payments:read' })
  async paymentList(@Param('id', ParseIdPipe) id: number, @Res() res: Response) {
    sendCsv(res, paymentListCsv(await this.allocation.paymentList(id, true)));
  }

  /** The payment list as a page: every payment the published run ordered, released or not, a page at a time, with the sums of the whole list. */
  @Get('verdelingen/:id/betalingen')
  @Access({ permission: 'payments:read' })
  async payments(@Param('id', ParseIdPipe) id: number, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value: paging, errors } = validateForm(PageQueryDto, { page: query.page, pageSize: query.pageSize });
    const { run, totals, payments } = asSeenBy(req.actor?.role ?? null, await this.allocation.paymentPage(id, errors.length > 0 ? {} : paging));
    res.status(errors.length > 0 ? 422 : 200).render('payment-list', {
      title: `Betaallijst van verdeling ${run.id}, projectjaar ${run.callYear}`,
      page: 'allocation',
      run,
      errors,
      payments: errors.length > 0 ? [] : payments.items.map((p) => ({ ...p, kindNl: PAYMENT_KIND_NL[p.kind] ?? p.kind })),
      pagination: errors.length > 0 ? undefined : paginationView(payments, `/verdelingen/${run.id}/betalingen`, { pageSize: paging.pageSize }),
      paymentCount: totals.payments,
      totalCents: totals.amountCents,
      releasedCount: totals.released,
      releasedCents: totals.releasedCents,
    });
  }

  @Get('aanvragen/:id/verdeling')
  @Access({ permission: 'applications:read', tenant: { kind: 'application', param: 'id' } })
  async share(@Param('id', ParseIdPipe) id: number, @Res() res: Response) {
    const share = await this.allocation.publishedShareOf(id);
    res.render('allocation-share', {
      title: share ? `Toegewezen bedrag: ${share.applicantNameNl}` : 'Toegewezen bedrag',
      page: 'applications',
      applicationId: id,
      share,
      explanation: share?.explanation.map((step) => ({ ...step, label: roundLabel(step.round) })),
    });
  }

  @Get('aanvragen/:id/afrekening')
  @Access({ permission: 'applications:read', tenant: { kind: 'application', param: 'id' } })
  async settlement(@Param('id', ParseIdPipe) id: number, @Req() req: Request, @Res() res: Response) {
    res.render('settlement', await this.settlementView(id, req));
  }

  @Post('aanvragen/:id/afrekening/lijnen/:kpiLineId')
  @Access({ permission: 'allocation:manage' })
  async recordResult(
    @Param('id', ParseIdPipe) id: number,
    @Param('kpiLineId', ParseIdPipe) kpiLineId: number,
    @Body() body: Record<string, string>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const submitted = { kpiLineId, realisedQuantity: body.realisedQuantity ?? '', waived: body.waived === 'true', reason: body.reason ?? '' };
    await this.settlementChange(id, req, res, submitted, `realisedQuantity-${kpiLineId}`, 'Het gerealiseerde aantal is bewaard.', async () => {
      const input = validInput(ResultDto, { realisedQuantity: submitted.realisedQuantity, waived: submitted.waived, reason: submitted.reason });
      const { proposal } = await this.proposals.recordResult(req.actor!, id, kpiLineId, input);
      return proposal
        ? 'Het gerealiseerde aantal is bewaard. De kwijtschelding gaat boven de drempel van de oproep: ze wacht op de goedkeuring van een tweede persoon van ABB.'
        : undefined;
    });
  }

  @Post('aanvragen/:id/afrekening/afsluiten')
  @Access({ permission: 'allocation:manage' })
  async settle(@Param('id', ParseIdPipe) id: number, @Body() body: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    // Closing is final and puts the balance or the reclaim on the payment list: first the amounts, then a confirmed POST.
    if (body.confirmed !== 'ja') {
      const view = await this.settlementView(id, req);
      if (view.canManage && view.statement!.complete) {
        res.status(200).render('settlement-confirm', { ...view, title: 'Afrekening afsluiten?' });
        return;
      }
    }
    await this.settlementChange(id, req, res, null, 'settle', 'De afrekening is afgesloten en staat op de betaallijst.', () =>
      this.settlements.settle(req.actor!, id),
    );
  }

  /** Runs a settlement change; a refusal shows the page again with the errors at the top, mapped onto the line's fields. */
  private async settlementChange(
    id: number,
    req: Request,
    res: Response,
    submitted: { kpiLineId: number } | null,
    fallbackField: string,
    notice: string,
    change: () => Promise<unknown>,
  ) {
    try {
      const told = await change();
      await redirectWithNotice(req, res, `/aanvragen/${id}/afrekening`, typeof told === 'string' ? told : notice);
    } catch (error) {
      const refused = formRefusal(error, fallbackField);
      const errors = refused.errors.map((e) => ({ ...e, field: submitted && e.field !== fallbackField ? `${e.field}-${submitted.kpiLineId}` : e.field }));
      res.status(refused.status).render('settlement', { ...(await this.settlementView(id, req)), errors, fieldErrors: byField(errors), submitted });
    }
  }

  private async settlementView(id: number, req: Request) {
    const statement = asSeenBy(req.actor?.role ?? null, await this.settlements.statementIfPublished(id));
    return {
      title: 'Afrekening: saldo of terugvordering',
      page: 'applications',
      applicationId: id,
      statement,
      canManage: !!scopeOf(req.actor?.role ?? null, 'allocation:manage') && statement !== null && !statement.settled,
    };
  }

  private async runsView(year: number, req: Request) {
    const [call, runs] = await Promise.all([
      this.catalogue.getCallByYear(year),
      this.allocation.runs(year).then((all) => asSeenBy(req.actor?.role ?? null, all)),
    ]);
    return {
      title: `Verdeling van ${call.nameNl}`,
      page: 'allocation',
      call,
      runs,
      canManage: !!scopeOf(req.actor?.role ?? null, 'allocation:manage'),
      published: runs.find((r) => r.published) ?? null,
      submitted: { budgetEuro: '', policy: 'priority-rounds', stimuliFirst: 'true' },
    };
  }

  /** The run page of `stored` (one page of its shares); `query`: what the page links keep besides the page number. */
  private async runView(stored: RunView, req: Request, query: Record<string, unknown> = {}) {
    const role = req.actor?.role ?? null;
    const run = asSeenBy(role, stored);
    const runs = asSeenBy(role, await this.allocation.runs(run.callYear));
    const published = runs.find((r) => r.published) ?? null;
    const proposals = asSeenBy(role, await this.proposals.about({ runId: run.id }));
    const pendingProposal = (kind: string) => proposals.find((p) => p.kind === kind && p.state === 'pending') ?? null;
    const payments = run.published ? await this.allocation.paymentTotals(run.id) : { payments: 0, released: 0 };
    const manage = !!scopeOf(role, 'allocation:manage');
    const differences = new Map((run.comparison?.differences ?? []).map((d) => [d.applicantId, d]));
    return {
      title: `${run.published ? 'Gepubliceerde verdeling' : 'Simulatie'} ${run.id}, projectjaar ${run.callYear}`,
      proposals,
      publicationProposal: pendingProposal('publish-allocation'),
      releaseProposal: pendingProposal('release-payments'),
      paymentCount: payments.payments,
      releasedCount: payments.released,
      canRelease: manage && run.published && payments.released < payments.payments && !pendingProposal('release-payments'),
      page: 'allocation',
      run,
      rounds: run.rounds.map((r) => ({ ...r, label: roundLabel(r.round), scale: ratio(r.scale) })),
      shares: run.shares.items.map((share) => ({ ...share, actions: actionRows(share), difference: differences.get(share.applicantId) })),
      total: run.shares.total,
      pagination: paginationView(run.shares, `/verdelingen/${run.id}`, query),
      canPublish: manage && !run.published && !published && !pendingProposal('publish-allocation'),
      canReadPayments: !!scopeOf(role, 'payments:read') && run.published,
      otherRuns: runs.filter((other) => other.id !== run.id),
      pendingCount: run.pendingReviewApplicationIds.length,
      submitted: { confirmPendingReview: false, reason: '' },
    };
  }
}
