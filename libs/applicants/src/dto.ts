import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { PageQueryDto } from '@ps/database';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { IsIban, IsKbo, IsPhone } from '@ps/kernel';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value;
/** A form sends one value or several under the same name; the API sends an array. */
const intList = ({ value }: { value: unknown }) =>
  (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v));

const ID = { message: 'Kies een lokaal bestuur uit de lijst.' };
const VERSION = { message: 'Ongeldige versie; laad de pagina opnieuw.' };

/** Action numbers go up by one with every action a call adds, up to 99 (CatalogueRepository.insertAction); which exist is the call's menu, checked by the service. */
export const MAX_ACTION_NUMBER = 99;

export const APPLICANT_KINDS = ['alone', 'cooperation', 'vgc', 'de-rand'] as const;

export class RegisterApplicantDto {
  @ApiProperty({ example: 3 })
  @Type(() => Number)
  @IsInt({ message: 'Kies een projectjaar.' })
  @Min(1, { message: 'Kies een projectjaar.' })
  @Max(99)
  year: number;
  @ApiProperty({ enum: APPLICANT_KINDS })
  @IsIn(APPLICANT_KINDS, { message: 'Kies hoe u indient: alleen, als samenwerkingsverband, als VGC of als vzw De Rand.' })
  kind: (typeof APPLICANT_KINDS)[number];
  @ApiProperty({ description: 'Id of the lead local government (trekker)' })
  @Type(() => Number)
  @IsInt(ID)
  @Min(1, ID)
  @Max(2_147_483_647, ID)
  leadLocalGovernmentId: number;
  @ApiPropertyOptional({ type: [Number], description: 'Ids of the other participating local governments' })
  @Transform(intList)
  @IsArray()
  @ArrayMaxSize(60)
  @IsInt({ each: true, ...ID })
  @Min(1, { each: true, ...ID })
  @Max(2_147_483_647, { each: true, ...ID })
  memberLocalGovernmentIds: number[] = [];
  @ApiPropertyOptional({ description: 'Id of the applicant of an earlier call this one continues' })
  @Transform(({ value }) => (value === '' || value === undefined || value === null ? undefined : /^\d+$/.test(String(value)) ? Number(value) : value))
  @IsOptional()
  @IsInt({ message: 'Vul het nummer van de aanvraag in.' })
  @Min(1, { message: 'Vul het nummer van de aanvraag in.' })
  @Max(2_147_483_647, { message: 'Vul het nummer van de aanvraag in.' })
  carriedOverFromId?: number;
  @ApiPropertyOptional({ example: 'Samenwerkingsverband Rivierenland' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @Length(3, 200, { message: 'Geef een naam van 3 tot 200 tekens.' })
  nameNl?: string;
}

export class MemberChangeDto {
  @ApiProperty() @Type(() => Number) @IsInt(ID) @Min(1, ID) @Max(2_147_483_647, ID) localGovernmentId: number;
  @ApiProperty({ description: 'The applicant version you read; a stale one gets 409' })
  @Type(() => Number)
  @IsInt(VERSION)
  @Min(1, VERSION)
  @Max(2_147_483_647, VERSION)
  version: number;
}

export class ContactDto {
  @ApiProperty({ example: 'An Peeters' })
  @Transform(trim)
  @IsString()
  @Length(2, 200, { message: 'Vul de naam van de contactpersoon in (2 tot 200 tekens).' })
  contactName: string;
  @ApiProperty({ example: 'an.peeters@gent.be' })
  @Transform(trim)
  @IsEmail({}, { message: 'Vul een geldig e-mailadres in, zoals naam@gemeente.be.' })
  @MaxLength(254)
  contactEmail: string;
  @ApiProperty({ example: '09 266 55 00' }) @Transform(trim) @IsPhone() @MaxLength(40) contactPhone: string;
  @ApiProperty({ example: 'BE68 5390 0754 7034' }) @Transform(trim) @IsIban() @MaxLength(50) payoutIban: string;
  @ApiProperty() @Type(() => Number) @IsInt(VERSION) @Min(1, VERSION) @Max(2_147_483_647, VERSION) version: number;
}

export class PartnerDto {
  @ApiProperty({ example: 'Samenlevingsopbouw' })
  @Transform(trim)
  @IsString()
  @Length(2, 200, { message: 'Vul de naam van de organisatie in (2 tot 200 tekens).' })
  name: string;
  @ApiPropertyOptional({ example: '0207.437.468' }) @Transform(emptyToUndefined) @IsOptional() @IsKbo() @MaxLength(20) kboNumber?: string;
  @ApiProperty({ enum: ['free', 'paid'] }) @IsIn(['free', 'paid'], { message: 'Kies gratis of betalend aanbod.' }) offer: 'free' | 'paid';
  @ApiPropertyOptional() @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(200) contactName?: string;
  @ApiPropertyOptional()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsEmail({}, { message: 'Vul een geldig e-mailadres in, zoals naam@organisatie.be.' })
  @MaxLength(254)
  contactEmail?: string;
  @ApiPropertyOptional() @Transform(emptyToUndefined) @IsOptional() @IsPhone() @MaxLength(40) contactPhone?: string;
  @ApiPropertyOptional()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MaxLength(1000, { message: 'De beschrijving mag hoogstens 1.000 tekens hebben.' })
  description?: string;
  @ApiProperty({ type: [Number], description: 'Actions the partner supports: numbers in the menu of the call (1–24 in years 1–3)' })
  @Transform(intList)
  @IsArray()
  @ArrayMinSize(1, { message: 'Kies minstens één actie die deze partner ondersteunt.' })
  @ArrayMaxSize(MAX_ACTION_NUMBER)
  @IsInt({ each: true, message: 'Kies acties uit de lijst.' })
  @Min(1, { each: true, message: 'Kies acties uit de lijst.' })
  @Max(MAX_ACTION_NUMBER, { each: true, message: 'Kies acties uit de lijst.' })
  actionNumbers: number[] = [];
}

export class PartnerLinkDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: 'Kies een partner uit de lijst.' })
  @Min(1, { message: 'Kies een partner uit de lijst.' })
  @Max(2_147_483_647, { message: 'Kies een partner uit de lijst.' })
  partnerId: number;
  @ApiProperty()
  @Type(() => Number)
  @IsInt({ message: 'Kies een actie uit de lijst.' })
  @Min(1, { message: 'Kies een actie uit de lijst.' })
  @Max(MAX_ACTION_NUMBER, { message: 'Kies een actie uit de lijst.' })
  actionNumber: number;
}

/** The API's queries on applicants: the project year, a version, the eligibility coverage. */
export class ApplicantsQuery {
  @ApiPropertyOptional({ example: 3, description: 'Project year; the latest when omitted' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'projectjaar moet een geheel getal zijn' })
  @Min(1)
  @Max(99)
  year?: number;
}

/** The applicants' filter and the page asked for (API query). */
export class ApplicantsPageQuery extends IntersectionType(ApplicantsQuery, PageQueryDto) {}

export class VersionQuery {
  @ApiProperty({ description: 'The applicant version you read' })
  @Type(() => Number)
  @IsInt({ message: 'Ongeldige versie.' })
  @Min(1)
  @Max(2_147_483_647)
  version: number;
}

export class CoverageQuery {
  @ApiProperty({ example: 3 }) @Type(() => Number) @IsInt({ message: 'projectjaar moet een geheel getal zijn' }) @Min(1) @Max(99) year: number;
  @ApiPropertyOptional({ example: 'Antwerpen' }) @IsOptional() @IsString() @MaxLength(100) province?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(2_147_483_647) region?: number;
}

/** The coverage overview's filters and the page asked for. */
export class CoveragePageQuery extends IntersectionType(CoverageQuery, PageQueryDto) {}
