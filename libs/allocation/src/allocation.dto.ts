import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '@ps/database';

export const POLICY_KINDS = ['priority-rounds', 'pro-rata'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/** A simulation's parameters; what is left out comes from the call (budget) or the default policy. */
export class SimulateDto {
  @ApiPropertyOptional({ description: 'Budget in euro, at most two decimals ("16970780.50" or "16.970.780,50"); the call\'s budget when left out' })
  @IsOptional()
  budgetEuro?: unknown;

  @ApiPropertyOptional({ enum: POLICY_KINDS, description: 'priority-rounds (default): stimuli, then priority 1, 2, …; pro-rata: everything scaled alike' })
  @IsOptional()
  @IsIn(POLICY_KINDS, { message: 'Kies de verdeling per prioriteit of pro rata.' })
  policy?: PolicyKind;

  @ApiPropertyOptional({ description: 'priority-rounds only: pay the granted stimuli before the priority rounds (default true)' })
  @IsOptional()
  @IsBoolean({ message: 'Kies ja of nee.' })
  stimuliFirst?: boolean;
}

/** Publishing a run; with applications still awaiting review ABB confirms explicitly, with a reason. */
export class PublishDto {
  @ApiPropertyOptional({ description: 'Required as true when applications of the call still await review' })
  @IsOptional()
  @IsBoolean({ message: 'Kies ja of nee.' })
  confirmPendingReview?: boolean;

  @ApiPropertyOptional({ description: 'Why the allocation is published before every application is reviewed' })
  @IsOptional()
  @IsString({ message: 'Geef een reden.' })
  @MaxLength(2500, { message: 'Hoogstens 2.500 tekens.' })
  reason?: string;
}

const QUANTITY = { message: 'Geef een geheel aantal van 0 tot 10.000.000.' };

/** The final realised quantity of one confirmed KPI line, and ABB's waiver of its reclaim (with a reason). */
export class ResultDto {
  @ApiProperty({ description: 'Realised quantity according to the final report', example: 8 })
  @Type(() => Number)
  @IsInt(QUANTITY)
  @Min(0, QUANTITY)
  @Max(10_000_000, QUANTITY)
  realisedQuantity: number;

  @ApiPropertyOptional({ description: 'Waive the reclaim of this line (ABB accepts the motivation); needs a reason' })
  @IsOptional()
  @IsBoolean({ message: 'Kies ja of nee.' })
  waived?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'Geef een reden.' })
  @MaxLength(2500, { message: 'Hoogstens 2.500 tekens.' })
  reason?: string;
}

/** Which run to compare a run with (by default the call's published run). */
export class CompareQuery {
  @ApiPropertyOptional({ description: 'Another run of the same call' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'Kies een verdeling.' })
  @Min(1, { message: 'Kies een verdeling.' })
  @Max(2_147_483_647, { message: 'Kies een verdeling.' })
  compareWith?: number;
}

/** A run's results a page at a time (`page`, `pageSize`), compared with another run of the call. */
export class RunPageQuery extends IntersectionType(CompareQuery, PageQueryDto) {}
