import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { MAX_ACTION_NUMBER } from '@ps/applicants';
import { REPORT_KINDS, ReportKind } from '@ps/reporting';

/** The API's path parameters: a record's id, and the ids below it (a KPI line, a member, a partner's action, a report). */
export class IdParams {
  @ApiProperty({ example: 1 })
  @Type(() => Number)
  @IsInt({ message: 'id moet een geheel getal zijn' })
  @Min(1, { message: 'id moet 1 of meer zijn' })
  @Max(2_147_483_647, { message: 'id is te groot' })
  id: number;
}

export class LineParams extends IdParams {
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) @Max(2_147_483_647) kpiLineId: number;
}

export class MemberParams extends IdParams {
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) @Max(2_147_483_647) localGovernmentId: number;
}

export class LinkParams extends IdParams {
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) @Max(2_147_483_647) partnerId: number;
  @ApiProperty() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_ACTION_NUMBER) actionNumber: number;
}

export class ReportParams extends IdParams {
  @ApiProperty({ enum: REPORT_KINDS }) @IsIn(REPORT_KINDS, { message: 'Kies interim of final.' }) kind: ReportKind;
}

const ID = { message: 'Ongeldig nummer.' };

export class EvidenceLineParams extends ReportParams {
  @ApiProperty() @Type(() => Number) @IsInt(ID) @Min(1, ID) @Max(2_147_483_647, ID) kpiLineId: number;
}

export class EvidenceParams extends ReportParams {
  @ApiProperty() @Type(() => Number) @IsInt(ID) @Min(1, ID) @Max(2_147_483_647, ID) evidenceId: number;
}

/** A run's released payment list, by its number (1, 2, … in the order released). */
export class ListParams extends IdParams {
  @ApiProperty({ example: 1 }) @Type(() => Number) @IsInt(ID) @Min(1, ID) @Max(2_147_483_647, ID) number: number;
}
