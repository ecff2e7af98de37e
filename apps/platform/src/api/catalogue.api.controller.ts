import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Request } from 'express';
import {
  ActionAddDto,
  ActionChangeDto,
  CallLifeService,
  CallSettingsDto,
  CallsAdministration,
  CallVersionDto,
  CreateCallDto,
  KpiLineAddDto,
  KpiLineChangeDto,
  ObjectiveAddDto,
  seesDraftCalls,
} from '@ps/applications';
import { ActionParams, CallDto, CallParams, CatalogueService, KpiLineParams, MenuObjectiveDto, toCallDto, toMenuDto } from '@ps/catalogue';
import { Actor } from '@ps/identity';
import { CurrentActor } from './actor.decorator';
import { Access, Public } from '../auth/access.decorator';

@ApiTags('catalogue')
@Controller('api/v1/calls')
export class CatalogueApiController {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly administration: CallsAdministration,
    private readonly life: CallLifeService,
  ) {}

  @Post()
  @Access({ permission: 'calls:manage' })
  @ApiCreatedResponse({ type: CallDto, description: 'The next project year, a draft copy of the latest call (fromYear); 409 while a draft exists' })
  async create(@CurrentActor() actor: Actor, @Body() body: CreateCallDto): Promise<CallDto> {
    return toCallDto(await this.catalogue.getCallByYear(await this.life.createNext(actor, body.fromYear), true));
  }

  @Post(':year/publish')
  @HttpCode(200)
  @Access({ permission: 'calls:manage' })
  @ApiOkResponse({ type: CallDto, description: 'A complete draft becomes published; 422 names each missing item, 409 for a stale version' })
  async publish(@CurrentActor() actor: Actor, @Param() { year }: CallParams, @Body() body: CallVersionDto): Promise<CallDto> {
    await this.life.moveTo(actor, year, 'published', body.version);
    return toCallDto(await this.catalogue.getCallByYear(year, true));
  }

  @Post(':year/close')
  @HttpCode(200)
  @Access({ permission: 'calls:manage' })
  @ApiOkResponse({ type: CallDto })
  async close(@CurrentActor() actor: Actor, @Param() { year }: CallParams, @Body() body: CallVersionDto): Promise<CallDto> {
    await this.life.moveTo(actor, year, 'closed', body.version);
    return toCallDto(await this.catalogue.getCallByYear(year, true));
  }

  @Post(':year/objectives')
  @Access({ permission: 'calls:manage' })
  @ApiCreatedResponse({ type: [MenuObjectiveDto], description: 'Only in a draft call' })
  async addObjective(@CurrentActor() actor: Actor, @Param() { year }: CallParams, @Body() body: ObjectiveAddDto): Promise<MenuObjectiveDto[]> {
    await this.life.addObjective(actor, year, body);
    return this.draftMenu(year);
  }

  @Post(':year/actions')
  @Access({ permission: 'calls:manage' })
  @ApiCreatedResponse({ type: [MenuObjectiveDto], description: 'Only in a draft call; the action gets the next free number' })
  async addAction(@CurrentActor() actor: Actor, @Param() { year }: CallParams, @Body() body: ActionAddDto): Promise<MenuObjectiveDto[]> {
    await this.life.addAction(actor, year, body);
    return this.draftMenu(year);
  }

  @Patch(':year/actions/:actionNumber')
  @Access({ permission: 'calls:manage' })
  @ApiOkResponse({ type: [MenuObjectiveDto], description: 'Renames an action or changes whether it is funded, in this draft call only' })
  async changeAction(@CurrentActor() actor: Actor, @Param() { year, actionNumber }: ActionParams, @Body() body: ActionChangeDto): Promise<MenuObjectiveDto[]> {
    await this.life.changeAction(actor, year, actionNumber, body);
    return this.draftMenu(year);
  }

  @Post(':year/actions/:actionNumber/retire')
  @HttpCode(200)
  @Access({ permission: 'calls:manage' })
  @ApiOkResponse({ type: [MenuObjectiveDto], description: "Takes the action and its KPI lines out of this draft call's menu; earlier calls keep it" })
  async retireAction(@CurrentActor() actor: Actor, @Param() { year, actionNumber }: ActionParams, @Body() body: CallVersionDto): Promise<MenuObjectiveDto[]> {
    await this.life.retireAction(actor, year, actionNumber, body.version);
    return this.draftMenu(year);
  }

  @Post(':year/kpi-lines')
  @Access({ permission: 'calls:manage' })
  @ApiCreatedResponse({ type: [MenuObjectiveDto], description: 'Only in a draft call' })
  async addKpiLine(@CurrentActor() actor: Actor, @Param() { year }: CallParams, @Body() body: KpiLineAddDto): Promise<MenuObjectiveDto[]> {
    await this.life.addKpiLine(actor, year, body);
    return this.draftMenu(year);
  }

  @Post(':year/kpi-lines/:kpiLineId/retire')
  @HttpCode(200)
  @Access({ permission: 'calls:manage' })
  @ApiOkResponse({ type: [MenuObjectiveDto], description: 'Only in a draft call' })
  async retireKpiLine(@CurrentActor() actor: Actor, @Param() { year, kpiLineId }: KpiLineParams, @Body() body: CallVersionDto): Promise<MenuObjectiveDto[]> {
    await this.life.retireKpiLine(actor, year, kpiLineId, body.version);
    return this.draftMenu(year);
  }

  @Patch(':year')
  @Access({ permission: 'calls:manage' })
  @ApiOkResponse({ type: CallDto, description: 'Only the settings given change; 409 for a stale version or a frozen setting after the first submission' })
  async updateSettings(@CurrentActor() actor: Actor, @Param() { year }: CallParams, @Body() body: CallSettingsDto): Promise<CallDto> {
    await this.administration.updateSettings(actor, year, body);
    return toCallDto(await this.catalogue.getCallByYear(year, true));
  }

  @Put(':year/kpi-lines/:kpiLineId')
  @HttpCode(200)
  @Access({ permission: 'calls:manage' })
  async updateKpiLine(@CurrentActor() actor: Actor, @Param() { year, kpiLineId }: KpiLineParams, @Body() body: KpiLineChangeDto): Promise<MenuObjectiveDto[]> {
    await this.administration.updateKpiLine(actor, year, kpiLineId, body);
    return this.draftMenu(year);
  }

  @Get()
  @Public()
  @ApiOkResponse({ type: [CallDto], description: 'Draft calls only for ABB administrators' })
  async list(@Req() req: Request): Promise<CallDto[]> {
    return (await this.catalogue.listCalls(seesDraftCalls(req.actor?.role))).map(toCallDto);
  }

  @Get(':year')
  @Public()
  @ApiOkResponse({ type: CallDto })
  @ApiNotFoundResponse()
  async get(@Param() { year }: CallParams, @Req() req: Request): Promise<CallDto> {
    return toCallDto(await this.catalogue.getCallByYear(year, seesDraftCalls(req.actor?.role)));
  }

  @Get(':year/menu')
  @Public()
  @ApiOkResponse({ type: [MenuObjectiveDto], description: 'The 7 objectives with their actions and KPI lines in this call' })
  @ApiNotFoundResponse()
  async menu(@Param() { year }: CallParams, @Req() req: Request): Promise<MenuObjectiveDto[]> {
    return toMenuDto(await this.catalogue.menu(await this.catalogue.getCallByYear(year, seesDraftCalls(req.actor?.role))));
  }

  /** A call's menu as ABB sees it after a change (drafts included). */
  private async draftMenu(year: number): Promise<MenuObjectiveDto[]> {
    return toMenuDto(await this.catalogue.menu(await this.catalogue.getCallByYear(year, true)));
  }
}
