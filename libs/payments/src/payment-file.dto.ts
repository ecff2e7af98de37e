import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The requested execution date of a SEPA file; the rule (payment-file.ts, executionDateOf) checks the date itself. */
export class PaymentFileQuery {
  @ApiPropertyOptional({ example: '2026-03-02', description: 'YYYY-MM-DD, a weekday from today (Brussels) up to a year ahead; by default the next weekday' })
  @IsOptional()
  @IsString({ message: 'Geef de uitvoeringsdatum als JJJJ-MM-DD, bijvoorbeeld 2026-03-02.' })
  @MaxLength(10, { message: 'Geef de uitvoeringsdatum als JJJJ-MM-DD, bijvoorbeeld 2026-03-02.' })
  executionDate?: string;
}
