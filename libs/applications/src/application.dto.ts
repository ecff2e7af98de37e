import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { PageQueryDto } from '@ps/database';
import { FieldKeys } from '@ps/kernel';
import { Allow, ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { STATUSES, Status } from './workflow';

/**
 * The input of the application use cases as the API and the pages both validate it (class-validator).
 * The pages map their flat form fields onto these shapes first (web/applications.web.controller.ts).
 */

export class VersionDto {
  @ApiProperty({ description: 'The application version you read; a stale one gets 409' })
  @Type(() => Number)
  @IsInt({ message: 'Ongeldige versie.' })
  @Min(1)
  @Max(2_147_483_647)
  version: number;
}

// Generous caps against hostile sizes; the draft rules give the precise per-field messages.
const TEXT_CAP = 10_000;
const LIST_CAP = 500;
const LINE_ID = { message: 'Kies een KPI-lijn uit de lijst.' };
const ACTION = { message: 'Kies een actie van 1 tot 24.' };

class LineDto {
  @ApiProperty() @Type(() => Number) @IsInt(LINE_ID) @Min(1, LINE_ID) @Max(2_147_483_647, LINE_ID) kpiLineId: number;
  @ApiPropertyOptional({ description: 'Current reach without the plan (whole number ≥ 0)' }) @IsOptional() currentReach?: unknown;
  @ApiPropertyOptional({ description: 'Planned extra reach (whole number, 0 to the line maximum)' }) @IsOptional() plannedReach?: unknown;
}

class PriorityDto {
  @ApiProperty() @Type(() => Number) @IsInt(ACTION) @Min(1, ACTION) @Max(24, ACTION) actionNumber: number;
  @ApiPropertyOptional({ description: '1..n, each once, for the committed actions' }) @IsOptional() priority?: unknown;
}

class MentorshipDto {
  @ApiPropertyOptional() @IsOptional() actionNumber?: unknown;
  @ApiPropertyOptional({ maxLength: 2500 }) @IsOptional() @IsString() @MaxLength(TEXT_CAP) motivation?: string;
}

class ImpactBondDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT_CAP) expertise?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT_CAP) problem?: string;
  @ApiPropertyOptional({ type: [Number] }) @IsOptional() @IsArray() @ArrayMaxSize(24) actionNumbers?: unknown[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() learningNetwork?: boolean;
}

/** The keys of the draft rules and the action table page (application-rules.ts, application.hbs). */
@FieldKeys({
  lines: 'lines',
  'lines.*': 'planned-{kpiLineId}',
  'lines.*.kpiLineId': 'lines',
  'lines.*.currentReach': 'current-{kpiLineId}',
  priorities: 'priorities',
  'priorities.*': 'priority-{actionNumber}',
  'priorities.*.actionNumber': 'priorities',
  cooperationStimulus: 'cooperation-stimulus',
  mentorship: 'mentorship-action',
  'mentorship.motivation': 'mentorship-motivation',
  impactBond: 'impact-bond',
  'impactBond.expertise': 'impact-expertise',
  'impactBond.problem': 'impact-problem',
  'impactBond.actionNumbers': 'impact-actions',
  'impactBond.learningNetwork': 'impact-learning-network',
})
export class DraftDto extends VersionDto {
  @ApiProperty({ type: [LineDto] }) @IsArray() @ArrayMaxSize(LIST_CAP) @ValidateNested({ each: true }) @Type(() => LineDto) lines: LineDto[];
  @ApiProperty({ type: [PriorityDto] }) @IsArray() @ArrayMaxSize(LIST_CAP) @ValidateNested({ each: true }) @Type(() => PriorityDto) priorities: PriorityDto[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() cooperationStimulus?: boolean;
  @ApiPropertyOptional({ type: MentorshipDto, nullable: true }) @IsOptional() @ValidateNested() @Type(() => MentorshipDto) mentorship?: MentorshipDto | null;
  @ApiPropertyOptional({ type: ImpactBondDto, nullable: true }) @IsOptional() @ValidateNested() @Type(() => ImpactBondDto) impactBond?: ImpactBondDto | null;
}

class ConfirmedDto {
  @ApiProperty() @Type(() => Number) @IsInt(LINE_ID) @Min(1, LINE_ID) @Max(2_147_483_647, LINE_ID) kpiLineId: number;
  @ApiProperty({ description: 'Whole number from 0 to the planned reach' }) @Allow() quantity: unknown;
  @ApiPropertyOptional({ maxLength: 1000, description: 'Why less than the planned reach is confirmed; stated in the decision letter' })
  @Allow()
  reason?: unknown;
}

class StimulusDecisionDto {
  @ApiProperty({ description: "true: granted at the call's amount; false: refused (reason required)" })
  @IsBoolean({ message: 'Kies toekennen (true) of weigeren (false).' })
  granted: boolean;
  @ApiPropertyOptional({ maxLength: 1000, description: 'Why the stimulus is refused' }) @IsOptional() @IsString() @MaxLength(TEXT_CAP) reason?: string;
}

class StimulusDecisionsDto {
  @ApiPropertyOptional({ type: StimulusDecisionDto }) @IsOptional() @ValidateNested() @Type(() => StimulusDecisionDto) cooperation?: StimulusDecisionDto;
  @ApiPropertyOptional({ type: StimulusDecisionDto }) @IsOptional() @ValidateNested() @Type(() => StimulusDecisionDto) mentorship?: StimulusDecisionDto;
  @ApiPropertyOptional({ type: StimulusDecisionDto }) @IsOptional() @ValidateNested() @Type(() => StimulusDecisionDto) impactBond?: StimulusDecisionDto;
}

/** The keys of the approval rules and the review page (review.service.ts, STIMULI in application-records.ts). */
@FieldKeys({
  'confirmed.*': 'confirmed-{kpiLineId}',
  'confirmed.*.kpiLineId': 'confirmed',
  'confirmed.*.reason': 'reduction-{kpiLineId}',
  'stimuli.cooperation': 'stimulus-cooperation',
  'stimuli.cooperation.reason': 'stimulus-cooperation-reason',
  'stimuli.mentorship': 'stimulus-mentorship',
  'stimuli.mentorship.reason': 'stimulus-mentorship-reason',
  'stimuli.impactBond': 'stimulus-impact-bond',
  'stimuli.impactBond.reason': 'stimulus-impact-bond-reason',
})
export class ApproveDto extends VersionDto {
  @ApiProperty({
    type: [ConfirmedDto],
    description: 'Confirmed quantity for every requested KPI line (planned reach above 0), each once; a missing, unknown or unrequested line is refused',
  })
  @IsArray()
  @ArrayMaxSize(LIST_CAP)
  @ValidateNested({ each: true })
  @Type(() => ConfirmedDto)
  confirmed: ConfirmedDto[];
  @ApiPropertyOptional({ type: StimulusDecisionsDto, description: 'A decision for every requested stimulus; one not requested cannot be granted' })
  @IsOptional()
  @ValidateNested()
  @Type(() => StimulusDecisionsDto)
  stimuli?: StimulusDecisionsDto;
}

export class ReasonDto extends VersionDto {
  @ApiProperty() @IsString({ message: 'Geef een reden.' }) @MaxLength(2500, { message: 'Hoogstens 2.500 tekens.' }) reason: string;
}

class LineCommentDto {
  @ApiProperty() @Type(() => Number) @IsInt(LINE_ID) @Min(1, LINE_ID) @Max(2_147_483_647, LINE_ID) kpiLineId: number;
  @ApiProperty() @IsString() @MaxLength(TEXT_CAP) comment: string;
}

@FieldKeys({ 'comments.*': 'comment-{kpiLineId}', 'comments.*.kpiLineId': 'comments' })
export class SendBackDto extends VersionDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT_CAP) reason?: string;
  @ApiPropertyOptional({ type: [LineCommentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST_CAP)
  @ValidateNested({ each: true })
  @Type(() => LineCommentDto)
  comments?: LineCommentDto[];
}

export class ExtendDto extends ReasonDto {
  @ApiProperty({ example: '2024-05-13T12:00', description: 'New deadline, Europe/Brussels wall-clock time' })
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: 'Geef de nieuwe termijn als JJJJ-MM-DDTuu:mm (Brusselse tijd).' })
  @MaxLength(16)
  until: string;
}

const REALISED = { message: 'Geef het gerealiseerde bereik als geheel getal van 0 tot 9.999.999.' };

export class EvaluationDto extends VersionDto {
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @Type(() => Number) @IsInt(REALISED) @Min(0, REALISED) @Max(9_999_999, REALISED) interimRealised?:
    number | null;
  @ApiProperty() @IsBoolean() positiveEvaluation: boolean;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(1000) overrideReason?: string | null;
}

/** The review queue's filters (API query). */
export class QueueQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(99) year?: number;
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: Status;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) objective?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) province?: string;
}

/** The review queue's filters and the page asked for (API query). */
export class QueuePageQuery extends IntersectionType(QueueQuery, PageQueryDto) {}
