import { Controller, Get, Query, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';
import { CatalogueService } from '@ps/catalogue';
import { PageQueryDto } from '@ps/database';
import { formatBrussels, formatDate, formatEuro } from '@ps/kernel';
import { OrganisationsService } from '@ps/organisations';
import { FieldError, searchText, validateForm } from './forms';
import { translate } from './i18n';
import { paginationView } from './pagination';
import { Public } from '../auth/access.decorator';

@ApiExcludeController()
@Public()
@Controller()
export class WebController {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly organisations: OrganisationsService,
  ) {}

  @Get()
  @Render('home')
  async home() {
    const calls = await this.catalogue.listCalls();
    return {
      title: translate('home.title'),
      page: 'home',
      calls: calls.map((call) => ({
        nameNl: call.nameNl,
        opens: formatBrussels(call.submissionOpensAt),
        closes: formatBrussels(call.submissionClosesAt),
        start: formatDate(call.projectStart),
        end: formatDate(call.projectEnd),
        budget: call.budgetCents === null ? null : formatEuro(call.budgetCents),
      })),
    };
  }

  @Get('acties')
  async actions(@Query('projectjaar') requested: unknown, @Res() res: Response) {
    const calls = await this.catalogue.listCalls();
    const latest = calls[calls.length - 1];
    const call = requested === undefined || requested === '' ? latest : calls.find((c) => String(c.yearNumber) === requested);
    const view = { title: translate('actions.title'), page: 'actions', calls: calls.map((c) => ({ ...c, selected: c === (call ?? latest) })) };
    if (!call) {
      return res.status(400).render('actions', { ...view, errors: [{ field: 'projectjaar', message: translate('errors.callInvalid') }] });
    }
    const menu = await this.catalogue.menu(call);
    const withTotals = menu.map((objective) => ({
      ...objective,
      actions: objective.actions.map((action) => ({
        ...action,
        kpiLines: action.kpiLines.map((line) => ({ ...line, maxContributionCents: line.maxQuantity * line.unitAmountCents })),
      })),
    }));
    const actions = menu.flatMap((objective) => objective.actions);
    const totals = { objectives: menu.length, actions: actions.length, funded: actions.filter((a) => a.funded).length };
    return res.render('actions', { ...view, call, menu: withTotals, totals });
  }

  @Get('lokale-besturen')
  async localGovernments(
    @Query('zoek') zoek: unknown,
    @Query('provincie') provincie: unknown,
    @Query('page') page: unknown,
    @Query('pageSize') pageSize: unknown,
    @Res() res: Response,
  ) {
    const provinces = await this.organisations.provinces();
    const { text: query, error: searchError } = searchText(zoek, 'zoek');
    const province = typeof provincie === 'string' ? provincie : '';
    const errors: FieldError[] = searchError ? [searchError] : [];
    if (provincie !== undefined && (typeof provincie !== 'string' || (province && !provinces.includes(province)))) {
      errors.push({ field: 'provincie', message: translate('errors.provinceInvalid') });
    }
    const filterRefused = errors.length > 0;
    const { value: paging, errors: pagingErrors } = validateForm(PageQueryDto, { page, pageSize });
    errors.push(...pagingErrors);
    const view = {
      title: translate('localGovernments.title'),
      page: 'localGovernments',
      query,
      // a new search starts at page 1 and keeps the page size asked for
      pageSize: pagingErrors.length > 0 ? undefined : paging.pageSize,
      provinces: provinces.map((name) => ({ name, selected: name === province })),
    };
    if (errors.length > 0) {
      const fieldErrors = Object.fromEntries(errors.map((e) => [e.field, e.message]));
      return res.status(filterRefused ? 400 : 422).render('local-governments', { ...view, errors, fieldErrors });
    }
    const found = await this.organisations.searchPage(
      { query, province: province || undefined, validOn: this.organisations.today() },
      { page: paging.page, pageSize: paging.pageSize },
    );
    return res.render('local-governments', {
      ...view,
      results: found.items,
      total: found.total,
      pagination: paginationView(found, '/lokale-besturen', { zoek: query, provincie: province, pageSize: paging.pageSize }),
    });
  }
}
