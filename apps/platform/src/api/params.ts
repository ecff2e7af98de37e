import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

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
