import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { Call, CatalogueService, KpiLine, MenuObjective } from '@ps/catalogue';
import { Public } from '../auth/access.decorator';

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
    yearNumber: call.yearNumber, nameNl: call.nameNl,
    submissionOpensAt: call.submissionOpensAt.toISOString(), submissionClosesAt: call.submissionClosesAt.toISOString(),
    projectStart: call.projectStart, projectEnd: call.projectEnd, budgetCents: call.budgetCents, decisionDate: call.decisionDate,
    interimReportDueAt: iso(call.interimReportDueAt), finalReportDueAt: iso(call.finalReportDueAt),
    eligibilityThreshold: call.eligibilityThreshold, originDefinition: call.originDefinition,
    statisticsReferenceYear: call.statisticsReferenceYear, onlyExistingApplicants: call.onlyExistingApplicants,
  };
}

const toKpiLineDto = ({ id, position, descriptionNl, unitNl, maxQuantity, unitAmountCents }: KpiLine): KpiLineDto => ({ id, position, descriptionNl, unitNl, maxQuantity, unitAmountCents });

const toMenuDto = (menu: MenuObjective[]): MenuObjectiveDto[] =>
  menu.map((objective) => ({ ...objective, actions: objective.actions.map((action) => ({ ...action, kpiLines: action.kpiLines.map(toKpiLineDto) })) }));

@ApiTags('catalogue')
@Public()
@Controller('api/v1/calls')
export class CatalogueApiController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @ApiOkResponse({ type: [CallDto] })
  async list(): Promise<CallDto[]> {
    return (await this.catalogue.listCalls()).map(toCallDto);
  }

  @Get(':year')
  @ApiOkResponse({ type: CallDto })
  @ApiNotFoundResponse()
  async get(@Param() { year }: CallParams): Promise<CallDto> {
    return toCallDto(await this.catalogue.getCallByYear(year));
  }

  @Get(':year/menu')
  @ApiOkResponse({ type: [MenuObjectiveDto], description: 'The 7 objectives with their actions and KPI lines in this call' })
  @ApiNotFoundResponse()
  async menu(@Param() { year }: CallParams): Promise<MenuObjectiveDto[]> {
    return toMenuDto(await this.catalogue.menu(await this.catalogue.getCallByYear(year)));
  }
}
