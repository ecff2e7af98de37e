import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { PASSWORD_RULES } from './authentication.service';
import { Role, ROLES } from './roles';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const optionalInt = ({ value }: { value: unknown }) =>
  value === '' || value === null || value === undefined ? null : /^\d+$/.test(String(value)) ? Number(value) : value;
const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

const EMAIL = { message: 'Vul een geldig e-mailadres in, zoals naam@gemeente.be.' };
const ROLE = { message: 'Kies een rol uit de lijst.' };

export class SignInDto {
  @Transform(trim) @IsEmail({}, EMAIL) @MaxLength(254, EMAIL) email: string;
  @IsString({ message: 'Vul uw wachtwoord in.' }) @Length(1, PASSWORD_RULES.max, { message: 'Vul uw wachtwoord in.' }) password: string;
}

export class ForgotPasswordDto {
  @Transform(trim) @IsEmail({}, EMAIL) @MaxLength(254, EMAIL) email: string;
}

export class ResetPasswordDto {
  @IsString() @Length(10, 200, { message: 'Deze link is ongeldig.' }) token: string;
  @IsString({ message: `Kies een wachtwoord van ${PASSWORD_RULES.min} tot ${PASSWORD_RULES.max} tekens.` })
  @Length(PASSWORD_RULES.min, PASSWORD_RULES.max, { message: `Kies een wachtwoord van ${PASSWORD_RULES.min} tot ${PASSWORD_RULES.max} tekens.` })
  password: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'an.peeters@gent.be' }) @Transform(trim) @IsEmail({}, EMAIL) @MaxLength(254, EMAIL) email: string;
  @ApiProperty({ example: 'An Peeters' })
  @Transform(trim)
  @IsString()
  @Length(2, 200, { message: 'Vul een naam van 2 tot 200 tekens in.' })
  displayName: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES, ROLE) role: Role;
  @ApiPropertyOptional({ description: 'Required for municipal officers: id of their local government', nullable: true, type: Number })
  @Transform(optionalInt)
  @IsOptional()
  @IsInt({ message: 'Kies een lokaal bestuur uit de lijst.' })
  @Min(1, { message: 'Kies een lokaal bestuur uit de lijst.' })
  @Max(2_147_483_647, { message: 'Kies een lokaal bestuur uit de lijst.' })
  localGovernmentId: number | null = null;
}

export class UpdateUserDto {
  @ApiProperty() @Transform(trim) @IsString() @Length(2, 200, { message: 'Vul een naam van 2 tot 200 tekens in.' }) displayName: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES, ROLE) role: Role;
  @ApiPropertyOptional({ nullable: true, type: Number })
  @Transform(optionalInt)
  @IsOptional()
  @IsInt({ message: 'Kies een lokaal bestuur uit de lijst.' })
  @Min(1, { message: 'Kies een lokaal bestuur uit de lijst.' })
  @Max(2_147_483_647, { message: 'Kies een lokaal bestuur uit de lijst.' })
  localGovernmentId: number | null = null;
  @ApiProperty() @Transform(bool) @IsBoolean({ message: 'Kies actief of gedeactiveerd.' }) active: boolean;
  @ApiProperty({ description: 'The version you read; a stale one gets 409' })
  @Type(() => Number)
  @IsInt({ message: 'Ongeldige versie.' })
  @Min(1)
  @Max(2_147_483_647)
  version: number;
}

export class IssueTokenDto {
  @ApiProperty({ example: 'Rapportering Excel' })
  @Transform(trim)
  @IsString()
  @Length(2, 100, { message: 'Geef het token een naam van 2 tot 100 tekens.' })
  name: string;
  @ApiProperty({ example: 90 })
  @Type(() => Number)
  @IsInt({ message: 'Kies een geldigheid van 1 tot 365 dagen.' })
  @Min(1, { message: 'Kies een geldigheid van 1 tot 365 dagen.' })
  @Max(365, { message: 'Kies een geldigheid van 1 tot 365 dagen.' })
  validDays: number = 90;
}
