import { Body, Controller, Get, HttpCode, Param, Patch, Put } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CallSettingsDto, CallsAdministration, KpiLineChangeDto } from '@ps/applications';
import { CallDto, CallParams, CatalogueService, KpiLineParams, MenuObjectiveDto, toCallDto, toMenuDto } from '@ps/catalogue';
import { Actor } from '@ps/identity';
import { CurrentActor } from './actor.decorator';
import { Access, Public } from '../auth/access.decorator';

@ApiTags('catalogue')
@Controller('api/v1/calls')
export class CatalogueApiController {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly administration: CallsAdministration,
  ) {}

  @Patch(':year')
  @Access({ permission: 'calls:manage' })
  @ApiOkResponse({ type: CallDto, description: 'Only the settings given change; 409 for a stale version or a frozen setting after the first submission' })
  async updateSettings(@CurrentActor() actor: Actor, @Param() { year }: CallParams, @Body() body: CallSettingsDto): Promise<CallDto> {
    await this.administration.updateSettings(actor, year, body);
    return toCallDto(await this.catalogue.getCallByYear(year));
  }

  @Put(':year/kpi-lines/:kpiLineId')
  @HttpCode(200)
  @Access({ permission: 'calls:manage' })
  async updateKpiLine(@CurrentActor() actor: Actor, @Param() { year, kpiLineId }: KpiLineParams, @Body() body: KpiLineChangeDto): Promise<MenuObjectiveDto[]> {
    await this.administration.updateKpiLine(actor, year, kpiLineId, body);
    return toMenuDto(await this.catalogue.menu(await this.catalogue.getCallByYear(year)));
  }

  @Get()
  @Public()
  @ApiOkResponse({ type: [CallDto] })
  async list(): Promise<CallDto[]> {
    return (await this.catalogue.listCalls()).map(toCallDto);
  }

  @Get(':year')
  @Public()
  @ApiOkResponse({ type: CallDto })
  @ApiNotFoundResponse()
  async get(@Param() { year }: CallParams): Promise<CallDto> {
    return toCallDto(await this.catalogue.getCallByYear(year));
  }

  @Get(':year/menu')
  @Public()
  @ApiOkResponse({ type: [MenuObjectiveDto], description: 'The 7 objectives with their actions and KPI lines in this call' })
  @ApiNotFoundResponse()
  async menu(@Param() { year }: CallParams): Promise<MenuObjectiveDto[]> {
    return toMenuDto(await this.catalogue.menu(await this.catalogue.getCallByYear(year)));
  }
}
