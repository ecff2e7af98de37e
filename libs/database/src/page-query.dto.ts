import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE } from '@ps/kernel';

const PAGE = { message: `Kies een paginanummer: een geheel getal van 1 tot ${MAX_PAGE}.` };
const PAGE_SIZE = { message: `Kies een paginagrootte: een geheel getal van 1 tot ${MAX_PAGE_SIZE}.` };

/** An empty field means the default; digits become a number; anything else stays text for the validator to refuse. */
const wholeNumber = ({ value }: { value: unknown }) => {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  if (text === '') return undefined;
  return /^\d{1,9}$/.test(text) ? Number(text) : text;
};

/**
 * `page` and `pageSize` of a list that grows with the programme (kernel paging.ts): the API and the pages alike. A lib's
 * query DTO adds them with `IntersectionType(itsFilterDto, PageQueryDto)`.
 */
export class PageQueryDto {
  @ApiPropertyOptional({ description: 'Page number, from 1', minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt(PAGE)
  @Min(1, PAGE)
  @Max(MAX_PAGE, PAGE)
  page?: number;

  @ApiPropertyOptional({ description: 'Items per page', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt(PAGE_SIZE)
  @Min(1, PAGE_SIZE)
  @Max(MAX_PAGE_SIZE, PAGE_SIZE)
  pageSize?: number;
}
