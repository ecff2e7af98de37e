import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '@ps/database';
import { MUNICIPALITIES_MODES, MunicipalitiesMode } from './municipalities';

const YEAR = { message: 'Kies een projectjaar: een geheel getal van 1 tot 99.' };
const ACTION = { message: 'Kies een actie: een nummer van 1 tot 99.' };
const OBJECTIVE = { message: 'Kies een doelstelling uit de lijst.' };
const PROVINCE = { message: 'Kies een provincie uit de lijst.' };
const REGION = { message: 'Kies een referentieregio uit de lijst.' };
const MUNICIPALITIES = { message: 'Kies hoe de lokale besturen getoond worden: zoals toen (as-was) of de gemeenten van vandaag (today).' };
const SEPARATOR = { message: 'Kies puntkomma of komma als scheidingsteken.' };

/** An empty field means "all"; digits become a number; anything else stays text for the validator to refuse. */
const wholeNumber = ({ value }: { value: unknown }) => {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  if (text === '') return undefined;
  return /^\d{1,9}$/.test(text) ? Number(text) : text;
};
const text = ({ value }: { value: unknown }) => {
  if (value === undefined || value === null) return undefined;
  const trimmed = String(value).trim();
  return trimmed === '' ? undefined : trimmed;
};

/** The filters of every overview (pages, CSV and API alike); an absent or empty filter means "all". */
export class OverviewFilterDto {
  @ApiPropertyOptional({ description: 'Project year (1 = the call of 2022)' })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt(YEAR)
  @Min(1, YEAR)
  @Max(99, YEAR)
  year?: number;

  @ApiPropertyOptional({ description: 'Objective code, e.g. "nederlands"' })
  @IsOptional()
  @Transform(text)
  @IsString(OBJECTIVE)
  @MaxLength(40, OBJECTIVE)
  @Matches(/^[a-z0-9-]+$/, OBJECTIVE)
  objective?: string;

  @ApiPropertyOptional({ description: 'Action number' })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt(ACTION)
  @Min(1, ACTION)
  @Max(99, ACTION)
  action?: number;

  @ApiPropertyOptional({ description: 'Province: applicants with at least one member local government in it' })
  @IsOptional()
  @Transform(text)
  @IsString(PROVINCE)
  @MaxLength(100, PROVINCE)
  province?: string;

  @ApiPropertyOptional({ description: 'Reference region code: applicants with at least one member local government in it' })
  @IsOptional()
  @Transform(text)
  @IsString(REGION)
  @MaxLength(40, REGION)
  @Matches(/^[a-z0-9-]+$/, REGION)
  region?: string;

  @ApiPropertyOptional({
    enum: MUNICIPALITIES_MODES,
    description: "as-was (default): the local governments as they were; today: mapped onto today's municipalities (a predecessor counts under its successor)",
  })
  @IsOptional()
  @Transform(text)
  @IsIn(MUNICIPALITIES_MODES, MUNICIPALITIES)
  municipalities?: MunicipalitiesMode;
}

/** The filters of a CSV export and how its cells are separated: `semicolon` (default, Excel in nl-BE) or `comma`. */
export class OverviewCsvDto extends OverviewFilterDto {
  @ApiPropertyOptional({ enum: ['semicolon', 'comma'], description: 'Cell separator; with "comma" amounts have a decimal point' })
  @IsOptional()
  @Transform(text)
  @IsIn(['semicolon', 'comma'], SEPARATOR)
  separator?: 'semicolon' | 'comma';
}

/** The filters of a paged overview table (the local governments): `page` and `pageSize` besides the filters. */
export class OverviewPageDto extends IntersectionType(OverviewFilterDto, PageQueryDto) {}

/** The filters as used: every key present, null for "all". */
export interface OverviewFilter {
  year: number | null;
  objective: string | null;
  action: number | null;
  province: string | null;
  /** Reference region code. */
  region: string | null;
  /** As they were (predecessors), or mapped onto today's municipalities (successors, summed). */
  municipalities: MunicipalitiesMode;
}

export function overviewFilter(dto: OverviewFilterDto = {}): OverviewFilter {
  return {
    year: dto.year ?? null,
    objective: dto.objective ?? null,
    action: dto.action ?? null,
    province: dto.province ?? null,
    region: dto.region ?? null,
    municipalities: dto.municipalities ?? 'as-was',
  };
}
