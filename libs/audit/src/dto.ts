import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

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
