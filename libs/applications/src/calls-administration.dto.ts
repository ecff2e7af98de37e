import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

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
  @settingText('A waiver of a reclaim above this amount needs a second ABB person; always editable', '5000')
  @IsOptional()
  waiverApprovalThresholdEuro?: unknown;
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
