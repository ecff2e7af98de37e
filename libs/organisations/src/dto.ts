import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
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
}: LocalGovernment): LocalGovernmentDto => ({
  id,
  nisCode,
  kind,
  nameNl,
  arrondissementNl,
  provinceNl,
  inhabitants2020,
  facilityMunicipality,
});
