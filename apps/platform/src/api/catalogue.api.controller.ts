import { Body, Controller, Get, HttpCode, Param, Patch, Put } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { CallsAdministration } from '@ps/applications';
import { Call, CatalogueService, KpiLine, MenuObjective } from '@ps/catalogue';
import { Actor } from '@ps/identity';
import { CurrentActor } from './actor.decorator';
import { Access, Public } from '../auth/access.decorator';

export class CallParams {
  @ApiProperty({ description: 'Project year (1, 2, 3 …)', example: 1 })
  @Type(() => Number)
  @IsInt({ message: 'projectjaar moet een geheel getal zijn' })
  @Min(1, { message: 'projectjaar moet 1 of meer zijn' })
  @Max(99, { message: 'projectjaar moet 99 of minder zijn' })
  year: number;
}

export class CallDto {
  @ApiProperty({ example: 1 }) yearNumber: number;
  @ApiProperty({ example: 'Projectjaar 1 (2022-2023)' }) nameNl: string;
  @ApiProperty({ description: 'Instant (UTC); a Europe/Brussels wall-clock time in the UI' }) submissionOpensAt: string;
  @ApiProperty() submissionClosesAt: string;
  @ApiProperty({ example: '2022-10-01' }) projectStart: string;
  @ApiProperty({ example: '2023-09-30' }) projectEnd: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Euro cents' }) budgetCents: number | null;
  @ApiProperty({ nullable: true, type: String }) decisionDate: string | null;
  @ApiProperty({ nullable: true, type: String }) interimReportDueAt: string | null;
  @ApiProperty({ nullable: true, type: String }) finalReportDueAt: string | null;
  @ApiProperty({ example: 7500, description: 'Eligible alone with MORE than this many residents of non-EU origin' }) eligibilityThreshold: number;
  @ApiProperty({ example: 'niet-EU-15' }) originDefinition: string;
  @ApiProperty({ example: 2021 }) statisticsReferenceYear: number;
  @ApiProperty() onlyExistingApplicants: boolean;
  @ApiProperty({ description: 'Euro cents' }) cooperationStimulusCents: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Euro cents; null until ABB sets it' }) mentorshipStimulusCents: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Euro cents; null until ABB sets it' }) impactBondStimulusCents: number | null;
  @ApiProperty({ example: 80, description: 'Percentage of the confirmed amount paid as an advance' }) advancePercent: number;
  @ApiProperty({ example: 25, description: 'Interim reach (% of the confirmed quantity) needed to continue an action' }) interimThresholdPercent: number;
  @ApiProperty({ enum: ['pro-rata', 'none'] }) reclaimRule: string;
  @ApiProperty({ example: 10, description: 'A KPI line missed by at most this % of its confirmed quantity is not reclaimed' }) reclaimTolerancePercent: number;
  @ApiProperty({ description: 'Send it back with PATCH; it changes with every change of the settings or the catalogue' }) version: number;
  @ApiProperty() catalogueVersion: number;
}

export class KpiLineDto {
  @ApiProperty() id: number;
  @ApiProperty() position: number;
  @ApiProperty() descriptionNl: string;
  @ApiProperty({ example: 'volwassen anderstaligen' }) unitNl: string;
  @ApiProperty({ example: 2250 }) maxQuantity: number;
  @ApiProperty({ example: 6000, description: 'Flemish contribution per unit, euro cents' }) unitAmountCents: number;
}

export class MenuActionDto {
  @ApiProperty({ example: 5 }) number: number;
  @ApiProperty() titleNl: string;
  @ApiProperty({ description: 'Whether the plan funds this action in this call' }) funded: boolean;
  @ApiProperty({ type: [KpiLineDto] }) kpiLines: KpiLineDto[];
}

export class MenuObjectiveDto {
  @ApiProperty({ example: 'nederlands' }) code: string;
  @ApiProperty() nameNl: string;
  @ApiProperty({ type: [MenuActionDto] }) actions: MenuActionDto[];
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toCallDto(call: Call): CallDto {
  return {
    yearNumber: call.yearNumber,
    nameNl: call.nameNl,
    submissionOpensAt: call.submissionOpensAt.toISOString(),
    submissionClosesAt: call.submissionClosesAt.toISOString(),
    projectStart: call.projectStart,
    projectEnd: call.projectEnd,
    budgetCents: call.budgetCents,
    decisionDate: call.decisionDate,
    interimReportDueAt: iso(call.interimReportDueAt),
    finalReportDueAt: iso(call.finalReportDueAt),
    eligibilityThreshold: call.eligibilityThreshold,
    originDefinition: call.originDefinition,
    statisticsReferenceYear: call.statisticsReferenceYear,
    onlyExistingApplicants: call.onlyExistingApplicants,
    cooperationStimulusCents: call.cooperationStimulusCents,
    mentorshipStimulusCents: call.mentorshipStimulusCents,
    impactBondStimulusCents: call.impactBondStimulusCents,
    advancePercent: call.advancePercent,
    interimThresholdPercent: call.interimThresholdPercent,
    reclaimRule: call.reclaimRule,
    reclaimTolerancePercent: call.reclaimTolerancePercent,
    version: call.version,
    catalogueVersion: call.catalogueVersion,
  };
}

const toKpiLineDto = ({ id, position, descriptionNl, unitNl, maxQuantity, unitAmountCents }: KpiLine): KpiLineDto => ({
  id,
  position,
  descriptionNl,
  unitNl,
  maxQuantity,
  unitAmountCents,
});

const toMenuDto = (menu: MenuObjective[]): MenuObjectiveDto[] =>
  menu.map((objective) => ({ ...objective, actions: objective.actions.map((action) => ({ ...action, kpiLines: action.kpiLines.map(toKpiLineDto) })) }));

const settingText = (description: string, example: string) => ApiPropertyOptional({ description, example, type: String });

/** A partial change of a call's settings: only the settings given change. Times are Europe/Brussels wall-clock times, amounts euro. */
export class CallSettingsDto {
  @ApiProperty({ description: 'The call version you read' }) @Type(() => Number) @IsInt() @Min(1) @Max(2_147_483_647) version: number;
  @settingText('Frozen after the first submission', '2024-04-22T00:00') @IsOptional() submissionOpens?: unknown;
  @settingText('Frozen after the first submission; seconds optional', '2024-05-06T12:00') @IsOptional() submissionCloses?: unknown;
  @settingText('Eligible with MORE than this many residents of non-EU origin; frozen after the first submission', '7500')
  @IsOptional()
  eligibilityThreshold?: unknown;
  @settingText('As in the imported statistics; frozen after the first submission', 'niet-EU-14') @IsOptional() originDefinition?: unknown;
  @settingText('Year of the statistics; frozen after the first submission', '2022') @IsOptional() statisticsReferenceYear?: unknown;
  @settingText('Only continuations may register: true or false; frozen after the first submission', 'false') @IsOptional() onlyExistingApplicants?: unknown;
  @settingText('Frozen after the first submission', '10000') @IsOptional() cooperationStimulusEuro?: unknown;
  @settingText('Empty for not set; frozen after the first submission', '') @IsOptional() mentorshipStimulusEuro?: unknown;
  @settingText('Empty for not set; frozen after the first submission', '') @IsOptional() impactBondStimulusEuro?: unknown;
  @settingText('Percentage of the confirmed amount paid as an advance; frozen after the first submission', '80') @IsOptional() advancePercent?: unknown;
  @settingText('Frozen after the first submission', '25') @IsOptional() interimThresholdPercent?: unknown;
  @settingText('pro-rata or none; frozen after the first submission', 'pro-rata') @IsOptional() reclaimRule?: unknown;
  @settingText('Tolerance of the reclaim, % of the confirmed quantity; frozen after the first submission', '10')
  @IsOptional()
  reclaimTolerancePercent?: unknown;
  @settingText('Always editable', '2024-10-01') @IsOptional() projectStart?: unknown;
  @settingText('Always editable', '2025-09-30') @IsOptional() projectEnd?: unknown;
  @settingText('Empty for none; always editable', '16970780') @IsOptional() budgetEuro?: unknown;
  @settingText('Empty for none; always editable', '2024-07-12') @IsOptional() decisionDate?: unknown;
  @settingText('Empty for none; always editable', '') @IsOptional() interimReportDue?: unknown;
  @settingText('Empty for none; always editable', '2025-10-15T23:59:59') @IsOptional() finalReportDue?: unknown;
}

export class KpiLineChangeDto {
  @ApiProperty({ description: 'The call version you read' }) @Type(() => Number) @IsInt() @Min(1) @Max(2_147_483_647) version: number;
  @ApiProperty({ example: 150 }) @IsOptional() maxQuantity: unknown;
  @ApiProperty({ example: '650' }) @IsOptional() unitAmountEuro: unknown;
}

export class KpiLineParams extends CallParams {
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) @Max(2_147_483_647) kpiLineId: number;
}

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
