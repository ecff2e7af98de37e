import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, ValidateBy } from 'class-validator';
import { DateTime } from 'luxon';
import { PageQueryDto } from '@ps/database';
import { LocalGovernment } from './organisations.entities';

/** The local governments' API shapes: the search, the NIS-code parameter and the answer. */

export class LocalGovernmentQuery {
  @ApiPropertyOptional({ description: 'Part of the name, or the start of the NIS code' })
  @IsOptional()
  @IsString()
  @MaxLength(100, { message: 'zoekterm mag hoogstens 100 tekens hebben' })
  q?: string;

  @ApiPropertyOptional({ example: 'Antwerpen' })
  @IsOptional()
  @IsString()
  @MaxLength(100, { message: 'provincie mag hoogstens 100 tekens hebben' })
  province?: string;

  @ApiPropertyOptional({ example: '2024-12-31', description: 'The local governments valid on this day (YYYY-MM-DD); today (Brussels) when left out' })
  @IsOptional()
  @IsCalendarDate({ message: 'datum moet een bestaande dag zijn, als JJJJ-MM-DD' })
  date?: string;
}

export class LocalGovernmentPageQuery extends IntersectionType(LocalGovernmentQuery, PageQueryDto) {}

/** A YYYY-MM-DD that exists on the calendar (2025-02-30 does not). */
export function IsCalendarDate(options?: Parameters<typeof ValidateBy>[1]) {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid,
      },
    },
    options,
  );
}

export class NisCodeParams {
  @ApiProperty({ example: '44021' })
  @Matches(/^\d{5}$/, { message: 'NIS-code moet uit 5 cijfers bestaan' })
  @MaxLength(5, { message: 'NIS-code moet uit 5 cijfers bestaan' })
  nisCode: string;
}

export class LocalGovernmentDto {
  @ApiProperty({ example: 187, description: 'The id other routes take, such as leadLocalGovernmentId when registering an applicant' }) id: number;
  @ApiProperty({ nullable: true, type: String, example: '44021' }) nisCode: string | null;
  @ApiProperty({ enum: ['municipality', 'vgc', 'de-rand'] }) kind: string;
  @ApiProperty({ example: 'Gent' }) nameNl: string;
  @ApiProperty({ nullable: true, type: String }) arrondissementNl: string | null;
  @ApiProperty({ nullable: true, type: String }) provinceNl: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Legal population on 1 January 2020 (Statbel)' }) inhabitants2020: number | null;
  @ApiProperty() facilityMunicipality: boolean;
  @ApiProperty({ nullable: true, type: String, example: '2025-01-01', description: 'First day; null for the municipalities of 2020' }) validFrom: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2024-12-31', description: 'Last day; null while it exists' }) validUntil: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'The id of the local government it merged into' }) successorId: number | null;
}

/** One page of the search (kernel paging.ts). */
export class LocalGovernmentPageDto {
  @ApiProperty({ type: [LocalGovernmentDto] }) items: LocalGovernmentDto[];
  @ApiProperty({ example: 1, description: 'The page asked for, from 1; past the last page `items` is empty' }) page: number;
  @ApiProperty({ example: 50 }) pageSize: number;
  @ApiProperty({ example: 287, description: 'Every local government found, over all pages' }) total: number;
  @ApiProperty({ example: 6, description: 'The number of pages, at least 1' }) pages: number;
}

export const toLocalGovernmentDto = ({
  id,
  nisCode,
  kind,
  nameNl,
  arrondissementNl,
  provinceNl,
  inhabitants2020,
  facilityMunicipality,
  validFrom,
  validUntil,
  successorId,
}: LocalGovernment): LocalGovernmentDto => ({
  id,
  nisCode,
  kind,
  nameNl,
  arrondissementNl,
  provinceNl,
  inhabitants2020,
  facilityMunicipality,
  validFrom,
  validUntil,
  successorId,
});
