import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { FieldKeys, IsValidText } from '@ps/kernel';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export const REPORT_KINDS = ['interim', 'final'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_STATUSES = ['draft', 'submitted', 'returned', 'accepted'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

const QUANTITY = { message: 'Geef een geheel aantal van 0 tot 10.000.000.' };
const LINE = { message: 'Ongeldige KPI-lijn.' };
export const TEXT_LIMITS = { approach: 5_000, partners: 2_000, motivation: 5_000 } as const;

/** One KPI line of a report as the officer fills it in (the web form, the API and the Excel upload alike). */
export class ReportLineDto {
  @ApiProperty() @Type(() => Number) @IsInt(LINE) @Min(1, LINE) @Max(2_147_483_647, LINE) kpiLineId: number;

  @ApiPropertyOptional({ nullable: true, description: 'Realised quantity, a whole number ≥ 0; empty while unknown' })
  @IsOptional()
  @Type(() => Number)
  @IsInt(QUANTITY)
  @Min(0, QUANTITY)
  @Max(10_000_000, QUANTITY)
  realisedQuantity?: number | null;

  @ApiPropertyOptional() @IsOptional() @IsString() @IsValidText() @MaxLength(TEXT_LIMITS.approach, { message: 'Hoogstens 5.000 tekens.' }) approach?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsValidText() @MaxLength(TEXT_LIMITS.partners, { message: 'Hoogstens 2.000 tekens.' }) partners?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsValidText()
  @MaxLength(TEXT_LIMITS.motivation, { message: 'Hoogstens 5.000 tekens.' })
  motivation?: string;
}

/** A draft report: the version the officer read and the lines it changes. Keys as the report rules and page name them. */
@FieldKeys({
  'lines.*': 'line-{kpiLineId}',
  'lines.*.kpiLineId': 'lines',
  'lines.*.realisedQuantity': 'realisedQuantity-{kpiLineId}',
  'lines.*.approach': 'approach-{kpiLineId}',
  'lines.*.partners': 'partners-{kpiLineId}',
  'lines.*.motivation': 'motivation-{kpiLineId}',
})
export class ReportDraftDto {
  @ApiProperty({ description: 'The report version you read; a stale one gets 409' })
  @Type(() => Number)
  @IsInt({ message: 'Ongeldige versie.' })
  @Min(1)
  @Max(2_147_483_647)
  version: number;

  @ApiProperty({ type: [ReportLineDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ReportLineDto)
  lines: ReportLineDto[];
}

/** The version of the report the client read. */
export class ReportVersionDto {
  @ApiProperty() @Type(() => Number) @IsInt({ message: 'Ongeldige versie.' }) @Min(1) @Max(2_147_483_647) version: number;
}

/** ABB reopens a report for one applicant after the deadline, until a moment (Brussels time), with a reason. */
export class ReopenReportDto extends ReportVersionDto {
  @ApiProperty({ example: '2025-04-15T17:00', description: 'Brussels wall-clock time' })
  @IsString({ message: 'Geef een datum en uur.' })
  @MaxLength(40)
  until: string;
  @ApiProperty() @IsString({ message: 'Geef een reden.' }) @MaxLength(2500, { message: 'Hoogstens 2.500 tekens.' }) reason: string;
}

class ReviewLineDto {
  @ApiProperty() @Type(() => Number) @IsInt(LINE) @Min(1, LINE) @Max(2_147_483_647, LINE) kpiLineId: number;
  @ApiPropertyOptional({ description: 'ABB accepts the motivation: a missed KPI is not reclaimed' }) @IsOptional() @IsBoolean() motivationAccepted?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2500, { message: 'Hoogstens 2.500 tekens.' }) comment?: string;
}

/** ABB's review of a submitted report. */
@FieldKeys({
  'lines.*': 'line-{kpiLineId}',
  'lines.*.kpiLineId': 'lines',
  'lines.*.comment': 'reviewComment-{kpiLineId}',
  'lines.*.motivationAccepted': 'motivationAccepted-{kpiLineId}',
})
export class ReviewDto extends ReportVersionDto {
  @ApiProperty({ enum: ['accept', 'return'] }) @IsIn(['accept', 'return'], { message: 'Kies aanvaarden of terugsturen.' }) decision: 'accept' | 'return';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2500, { message: 'Hoogstens 2.500 tekens.' }) comment?: string;
  @ApiPropertyOptional({ type: [ReviewLineDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ReviewLineDto)
  lines?: ReviewLineDto[];
}

const yesNo = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** ABB's review queue of reports: its filters (API query). */
export class ReportQueueQuery {
  @ApiPropertyOptional({ enum: REPORT_KINDS }) @IsOptional() @IsIn(REPORT_KINDS) kind?: ReportKind;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(99) year?: number;
  @ApiPropertyOptional({ description: 'Only late submissions' }) @IsOptional() @Transform(yesNo) @IsBoolean() late?: boolean;
  @ApiPropertyOptional({ description: 'Only reports with a line below the interim threshold (25 %)' })
  @IsOptional()
  @Transform(yesNo)
  @IsBoolean()
  belowThreshold?: boolean;
  @ApiPropertyOptional({ description: 'Only reports with a motivation ABB has not accepted yet' })
  @IsOptional()
  @Transform(yesNo)
  @IsBoolean()
  motivationPending?: boolean;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(99) action?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) province?: string;
}
