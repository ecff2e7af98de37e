import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

const VERSION = { message: 'Laad het voorstel opnieuw: de versie ontbreekt.' };

/** Approving or withdrawing a proposal: the version the person read, so a decision is never taken on a stale page. */
export class ProposalDecisionDto {
  @ApiProperty({ description: 'The proposal version you read', example: 1 })
  @Type(() => Number)
  @IsInt(VERSION)
  @Min(1, VERSION)
  @Max(2_147_483_647, VERSION)
  version: number;
}
