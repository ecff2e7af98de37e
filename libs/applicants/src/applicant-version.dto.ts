import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** The applicant version a client read, for a change that carries nothing else (confirming a payout account); a stale one gets 409. */
export class ApplicantVersionDto {
  @ApiProperty({ description: 'The applicant version you read' })
  @Type(() => Number)
  @IsInt({ message: 'Ongeldige versie.' })
  @Min(1)
  @Max(2_147_483_647)
  version: number;
}
