import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';

/** The security log's API query: a page of events, newest first. */
export class SecurityEventsQuery {
  @ApiPropertyOptional({ description: 'How many events, newest first (1–500)', default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'Geef een geheel getal van 1 tot 500.' })
  @Min(1, { message: 'Geef een geheel getal van 1 tot 500.' })
  @Max(500, { message: 'Geef een geheel getal van 1 tot 500.' })
  limit?: number;

  @ApiPropertyOptional({ description: 'Only events older than this id (the next page)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'Geef het id van een melding.' })
  @Min(1, { message: 'Geef het id van een melding.' })
  @Max(Number.MAX_SAFE_INTEGER, { message: 'Geef het id van een melding.' })
  beforeId?: number;
}

/** A record's history: its kind (the audit trail's entity type) and id. */
export class HistoryParams {
  @ApiProperty({ example: 'user' }) @Matches(/^[a-z][a-z-]{1,59}$/, { message: 'soort record is ongeldig' }) @MaxLength(60) entityType: string;
  @ApiProperty({ example: '1' }) @Matches(/^[A-Za-z0-9-]{1,60}$/, { message: 'record-id is ongeldig' }) @MaxLength(60) entityId: string;
}
