import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { Call, CALL_STATES, CallState, KpiLine } from './catalogue.entities';
import type { MenuObjective } from './catalogue.service';

/** The catalogue's API shapes: path parameters and answers (calls, the menu with its KPI lines). */

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
  @ApiProperty({ nullable: true, type: Number, description: 'With onlyExistingApplicants: only the applicants of this earlier project year' })
  applicantsOfYear: number | null;
  @ApiProperty({ enum: CALL_STATES, description: 'draft (only ABB sees it) → published → closed' }) state: CallState;
  @ApiProperty({ description: 'Euro cents' }) cooperationStimulusCents: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Euro cents; null until ABB sets it' }) mentorshipStimulusCents: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Euro cents; null until ABB sets it' }) impactBondStimulusCents: number | null;
  @ApiProperty({ example: 80, description: 'Percentage of the confirmed amount paid as an advance' }) advancePercent: number;
  @ApiProperty({ example: 25, description: 'Interim reach (% of the confirmed quantity) needed to continue an action' }) interimThresholdPercent: number;
  @ApiProperty({ enum: ['pro-rata', 'none'] }) reclaimRule: string;
  @ApiProperty({ example: 10, description: 'A KPI line missed by at most this % of its confirmed quantity is not reclaimed' }) reclaimTolerancePercent: number;
  @ApiProperty({ description: 'Euro cents: waiving a reclaim above this needs a second ABB person' }) waiverApprovalThresholdCents: number;
  @ApiProperty({ type: String, nullable: true, description: 'The ABB official who decides, named in the decision letters' }) signatoryName: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Their function, named in the decision letters' }) signatoryFunction: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'How and within what term a decision can be contested, stated in every decision letter' })
  appealText: string | null;
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
    applicantsOfYear: call.applicantsOfYear,
    state: call.state,
    cooperationStimulusCents: call.cooperationStimulusCents,
    mentorshipStimulusCents: call.mentorshipStimulusCents,
    impactBondStimulusCents: call.impactBondStimulusCents,
    advancePercent: call.advancePercent,
    interimThresholdPercent: call.interimThresholdPercent,
    reclaimRule: call.reclaimRule,
    reclaimTolerancePercent: call.reclaimTolerancePercent,
    waiverApprovalThresholdCents: call.waiverApprovalThresholdCents,
    signatoryName: call.signatoryName,
    signatoryFunction: call.signatoryFunction,
    appealText: call.appealText,
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

export const toMenuDto = (menu: MenuObjective[]): MenuObjectiveDto[] =>
  menu.map((objective) => ({ ...objective, actions: objective.actions.map((action) => ({ ...action, kpiLines: action.kpiLines.map(toKpiLineDto) })) }));

export class KpiLineParams extends CallParams {
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) @Max(2_147_483_647) kpiLineId: number;
}

export class ActionParams extends CallParams {
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) @Max(99) actionNumber: number;
}
