import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsValidText } from '@ps/kernel';

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
  @settingText('Only the applicants of this earlier project year may register (with onlyExistingApplicants); empty: the year before', '3')
  @IsOptional()
  applicantsOfYear?: unknown;
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
  @settingText('The ABB official who decides, named in the decision letters; always editable', 'An Peeters') @IsOptional() signatoryName?: unknown;
  @settingText('Their function, named in the decision letters; always editable', 'Afdelingshoofd Binnenlands Bestuur')
  @IsOptional()
  signatoryFunction?: unknown;
  @settingText('How and within what term a decision can be contested (at most 2000 characters); always editable', 'Tegen deze beslissing kunt u ...')
  @IsOptional()
  appealText?: unknown;
}

export class KpiLineChangeDto {
  @ApiProperty({ description: 'The call version you read' }) @Type(() => Number) @IsInt() @Min(1) @Max(2_147_483_647) version: number;
  @ApiProperty({ example: 150 }) @IsOptional() maxQuantity: unknown;
  @ApiProperty({ example: '650' }) @IsOptional() unitAmountEuro: unknown;
}

const VERSION = () => ApiProperty({ description: 'The call version you read' });
const text = (max: number, example: string) => [
  ApiProperty({ example, maxLength: max }),
  IsString({ message: 'Vul een tekst in.' }),
  Length(1, max, { message: `Vul een tekst in van 1 tot ${max} tekens.` }),
  IsValidText(),
];

/** A step of a call that only needs the version read: publishing, closing, retiring an action or a KPI line. */
export class CallVersionDto {
  @VERSION() @Type(() => Number) @IsInt() @Min(1) @Max(2_147_483_647) version: number;
}

/** A new objective of the menu, introduced by this (draft) call. */
export class ObjectiveAddDto extends CallVersionDto {
  @ApiProperty({ example: 'digitale-inclusie', description: 'Lower-case letters, digits and hyphens' })
  @IsString({ message: 'Vul een code in.' })
  @MaxLength(40, { message: 'Geef een code van 2 tot 40 kleine letters, cijfers of koppeltekens, zoals digitale-inclusie.' })
  @Matches(/^[a-z][a-z0-9-]{1,39}$/, { message: 'Geef een code van 2 tot 40 kleine letters, cijfers of koppeltekens, zoals digitale-inclusie.' })
  code: string;
  @applyAll(text(200, 'Digitale inclusie')) nameNl: string;
}

/** A new action in an objective of a draft call. */
export class ActionAddDto extends CallVersionDto {
  @ApiProperty({ example: 'nederlands' })
  @IsString({ message: 'Kies een doelstelling.' })
  @Length(1, 40, { message: 'Kies een doelstelling.' })
  objectiveCode: string;
  @applyAll(text(300, 'Buddywerking voor nieuwkomers')) titleNl: string;
  @ApiPropertyOptional({ description: 'Whether the plan funds it; true when not given' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'Kies ja of nee.' })
  funded?: boolean;
}

/** A renamed action, or one funded or no longer funded, in a draft call; the earlier calls keep theirs. */
export class ActionChangeDto extends CallVersionDto {
  @ApiPropertyOptional({ example: 'Buddywerking' })
  @IsOptional()
  @IsString({ message: 'Vul een tekst in.' })
  @Length(1, 300, { message: 'Vul een tekst in van 1 tot 300 tekens.' })
  @IsValidText()
  titleNl?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'Kies ja of nee.' })
  funded?: boolean;
}

/** A new KPI line of an action in a draft call. */
export class KpiLineAddDto extends CallVersionDto {
  @ApiProperty({ example: 25 })
  @Type(() => Number)
  @IsInt({ message: 'Kies een actie.' })
  @Min(1, { message: 'Kies een actie.' })
  @Max(99, { message: 'Kies een actie.' })
  actionNumber: number;
  @applyAll(text(500, 'Aantal begeleide nieuwkomers')) descriptionNl: string;
  @applyAll(text(200, 'nieuwkomers')) unitNl: string;
  // Checked by the use case, like KpiLineChangeDto's, so that each gets its own Dutch message.
  @ApiProperty({ example: 150 }) @IsOptional() maxQuantity: unknown;
  @ApiProperty({ example: '40' }) @IsOptional() unitAmountEuro: unknown;
}

function applyAll(decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** The next call, copied from the latest: name the latest's project year, so that a repeated request creates nothing twice. */
export class CreateCallDto {
  @ApiProperty({ example: 3, description: 'The project year of the latest call; the new call is the year after it' })
  @Type(() => Number)
  @IsInt({ message: 'Geef het projectjaar van de laatste oproep.' })
  @Min(1, { message: 'Geef het projectjaar van de laatste oproep.' })
  @Max(99, { message: 'Geef het projectjaar van de laatste oproep.' })
  fromYear: number;
}
