import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { normaliseBic, normaliseIban } from '@ps/kernel';

const toBoolean = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase())
      ? true
      : ['0', 'false', 'no', 'off'].includes(String(value).toLowerCase())
        ? false
        : value;
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : /^\d+$/.test(String(value)) ? Number(value) : value);

/**
 * Every setting the platform reads from its environment, validated once at boot.
 * See README.md ("Configuration") for the table.
 */
export class PlatformConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt({ message: 'PORT must be a whole number between 1 and 65535' })
  @Min(1, { message: 'PORT must be a whole number between 1 and 65535' })
  @Max(65535, { message: 'PORT must be a whole number between 1 and 65535' })
  PORT = 3000;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^\s/]+\/[^\s/?]+(\?\S*)?$/, {
    message: 'DATABASE_URL must look like postgres://user@host:5432/database',
  })
  DATABASE_URL?: string;

  /** The schema owner's connection, for migrations only; the platform itself connects with DATABASE_URL (docs/security.md). */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^\s/]+\/[^\s/?]+(\?\S*)?$/, {
    message: 'MIGRATIONS_DATABASE_URL must look like postgres://owner@host:5432/database',
  })
  MIGRATIONS_DATABASE_URL?: string;

  /** Where the embedded database keeps its files when DATABASE_URL is unset; "memory" keeps nothing. */
  @IsString()
  DATA_DIR = './data';

  @Transform(toBoolean)
  @IsBoolean({ message: 'MIGRATIONS_RUN must be true or false' })
  MIGRATIONS_RUN = true;

  /** Loads the fictional demo data at start; on by default only for the embedded database. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'DEMO_DATA must be true or false' })
  DEMO_DATA?: boolean;

  /**
   * With the demo data: the demo's story too (years 1–3 with complete fictional history, year 4 open around today).
   * On by default with the demo data, except in tests, which build their own fixtures on years 1–3.
   */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'DEMO_STORY must be true or false' })
  DEMO_STORY?: boolean;

  /** Signs the session cookie; required (32+ characters) in production. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'SESSION_SECRET must have at least 32 characters' })
  SESSION_SECRET?: string;

  /** The address users reach the platform on, for links in e-mails. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'PUBLIC_URL must look like https://plansamenleven.example.be' })
  PUBLIC_URL?: string;

  /**
   * The SMTP server that delivers the platform's mails, e.g. smtp://user:password@mail.example.be:587 (smtps:// for TLS
   * from the first byte). Without it mails only go to the outbox administrators read at /beheer/uitgaande-mail.
   */
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must look like smtp://user:password@mail.example.be:587' })
  SMTP_URL?: string;

  /** The sender of the platform's mails. */
  @Matches(/^([^\r\n<>@]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, { message: 'MAIL_FROM must look like Plan Samenleven <noreply@example.be>' })
  MAIL_FROM = 'Plan Samenleven <noreply@plansamenleven.test>';

  /** Runs the daily report reminders (07:00 Brussels time); on by default, off when NODE_ENV=test (tests call the job). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'REMINDERS_ENABLED must be true or false' })
  REMINDERS_ENABLED?: boolean;

  /** Send the session cookie over HTTPS only; on by default in production. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'COOKIE_SECURE must be true or false' })
  COOKIE_SECURE?: boolean;

  /**
   * Processes serving HTTP on PORT together (node's cluster module), to use more than one core; the PostgreSQL server
   * only, since the embedded database belongs to one process. The first process migrates and seeds before the others start.
   */
  @Transform(toInt)
  @IsInt({ message: 'WORKERS must be a whole number between 1 and 32' })
  @Min(1, { message: 'WORKERS must be a whole number between 1 and 32' })
  @Max(32, { message: 'WORKERS must be a whole number between 1 and 32' })
  WORKERS = 1;

  /**
   * The bearer token that opens /metrics on PORT (docs/deployment.md); without it (and without METRICS_PORT) /metrics
   * answers 404. At least 32 characters in production.
   */
  @IsOptional()
  @Matches(/^[\x21-\x7e]+$/, { message: 'METRICS_TOKEN must be printable characters without spaces' })
  METRICS_TOKEN?: string;

  /** A second port, bound to 127.0.0.1 only, that serves /metrics without a token. */
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'METRICS_PORT must be a whole number between 1 and 65535' })
  @Min(1, { message: 'METRICS_PORT must be a whole number between 1 and 65535' })
  @Max(65535, { message: 'METRICS_PORT must be a whole number between 1 and 65535' })
  METRICS_PORT?: number;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /**
   * Sign-in through the identity provider (ACM/IDM, OpenID Connect; docs/security.md): its issuer URL, this platform's
   * client id and secret there. All three or none; without them only local accounts sign in, as before.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, { message: 'OIDC_ISSUER must look like https://authenticatie.vlaanderen.be/op' })
  OIDC_ISSUER?: string;

  @IsOptional()
  @Matches(/^[\x21-\x7e]+$/, { message: 'OIDC_CLIENT_ID must be printable characters without spaces' })
  OIDC_CLIENT_ID?: string;

  @IsOptional()
  @Matches(/^[\x21-\x7e]{16,}$/, { message: 'OIDC_CLIENT_SECRET must be at least 16 printable characters without spaces' })
  OIDC_CLIENT_SECRET?: string;

  /** Where the provider sends people back to (…/aanmelden/acm-idm/terug); PUBLIC_URL when unset. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, { message: 'OIDC_REDIRECT_BASE_URL must look like https://plansamenleven.example.be' })
  OIDC_REDIRECT_BASE_URL?: string;

  /** Who may still sign in with a password: everyone (the default), or only platform administrators once the provider is in use. */
  @IsIn(['everyone', 'platform-administrators'], { message: 'PASSWORD_SIGN_IN must be everyone or platform-administrators' })
  PASSWORD_SIGN_IN: 'everyone' | 'platform-administrators' = 'everyone';

  /**
   * ABB's account the SEPA payment files pay from (docs/allocation.md, "The payment file"): its IBAN, its bank's BIC and
   * the account holder's name as the bank knows it. All three or none; without them the files name a demo account no
   * bank knows, with a warning at start in production.
   */
  @IsOptional()
  @IsString()
  PAYING_ACCOUNT_IBAN?: string;

  @IsOptional()
  @IsString()
  PAYING_ACCOUNT_BIC?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9/\-?:().,'+ ]{1,70}$/, {
    message: "PAYING_ACCOUNT_NAME must be 1 to 70 characters of the SEPA set (letters without accents, digits, space and / - ? : ( ) . , ' +)",
  })
  PAYING_ACCOUNT_NAME?: string;

  /** The account the payment files pay from: the configured one, else the demo account. */
  get payingAccount(): { iban: string; bic: string; name: string; demo: boolean } {
    if (!this.PAYING_ACCOUNT_IBAN || !this.PAYING_ACCOUNT_BIC || !this.PAYING_ACCOUNT_NAME) return { ...DEMO_PAYING_ACCOUNT, demo: true };
    return { iban: normaliseIban(this.PAYING_ACCOUNT_IBAN)!, bic: normaliseBic(this.PAYING_ACCOUNT_BIC)!, name: this.PAYING_ACCOUNT_NAME, demo: false };
  }

  get embedded(): boolean {
    return !this.DATABASE_URL;
  }

  get loadDemoData(): boolean {
    return this.DEMO_DATA ?? this.embedded;
  }

  get tellDemoStory(): boolean {
    return this.loadDemoData && (this.DEMO_STORY ?? this.NODE_ENV !== 'test');
  }

  get sessionSecret(): string {
    return this.SESSION_SECRET ?? 'development-only-session-secret-not-for-production';
  }

  get publicUrl(): string {
    return (this.PUBLIC_URL ?? `http://localhost:${this.PORT}`).replace(/\/$/, '');
  }

  get remindersEnabled(): boolean {
    return this.REMINDERS_ENABLED ?? this.NODE_ENV !== 'test';
  }

  get secureCookies(): boolean {
    return this.COOKIE_SECURE ?? this.NODE_ENV === 'production';
  }

  /** The identity provider's settings, or null when sign-in runs on local accounts only. */
  get identityProvider(): { issuer: string; clientId: string; clientSecret: string; redirectUri: string; postLogoutRedirectUri: string } | null {
    if (!this.OIDC_ISSUER || !this.OIDC_CLIENT_ID || !this.OIDC_CLIENT_SECRET) return null;
    const base = (this.OIDC_REDIRECT_BASE_URL ?? this.publicUrl).replace(/\/$/, '');
    return {
      issuer: this.OIDC_ISSUER,
      clientId: this.OIDC_CLIENT_ID,
      clientSecret: this.OIDC_CLIENT_SECRET,
      redirectUri: `${base}/aanmelden/acm-idm/terug`,
      postLogoutRedirectUri: `${base}/aanmelden?afgemeld=1`,
    };
  }
}

export class ConfigError extends Error {}

/** The provider's settings go together; plain http only to this machine outside production (a test provider). */
function identityProviderProblems(config: PlatformConfig): string[] {
  const set = [config.OIDC_ISSUER, config.OIDC_CLIENT_ID, config.OIDC_CLIENT_SECRET].filter((value) => value !== undefined).length;
  const problems: string[] = [];
  if (set > 0 && set < 3) problems.push('OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET go together: set all three or none');
  const local = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/;
  for (const [name, url] of [
    ['OIDC_ISSUER', config.OIDC_ISSUER],
    ['OIDC_REDIRECT_BASE_URL', config.OIDC_REDIRECT_BASE_URL],
  ] as const) {
    if (url?.startsWith('http:') && (config.NODE_ENV === 'production' || !local.test(url)))
      problems.push(`${name} must use https (plain http only for 127.0.0.1 or localhost outside production)`);
  }
  if (config.PASSWORD_SIGN_IN === 'platform-administrators' && set === 0)
    problems.push('PASSWORD_SIGN_IN=platform-administrators needs the identity provider (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET)');
  return problems;
}

/** The demo account of the payment files when no paying account is set: a valid form, but no bank's account of ABB. */
export const DEMO_PAYING_ACCOUNT = { iban: 'BE68539007547034', bic: 'DEMOBEBB', name: 'Plan Samenleven demo - geen echte rekening' } as const;

/** The paying account's settings go together, with a valid IBAN and BIC. */
function payingAccountProblems(config: PlatformConfig): string[] {
  const set = [config.PAYING_ACCOUNT_IBAN, config.PAYING_ACCOUNT_BIC, config.PAYING_ACCOUNT_NAME].filter((value) => value !== undefined).length;
  const problems: string[] = [];
  if (set > 0 && set < 3) problems.push('PAYING_ACCOUNT_IBAN, PAYING_ACCOUNT_BIC and PAYING_ACCOUNT_NAME go together: set all three or none');
  if (config.PAYING_ACCOUNT_IBAN !== undefined && !normaliseIban(config.PAYING_ACCOUNT_IBAN))
    problems.push('PAYING_ACCOUNT_IBAN must be a valid IBAN, like BE68 5390 0754 7034');
  if (config.PAYING_ACCOUNT_BIC !== undefined && !normaliseBic(config.PAYING_ACCOUNT_BIC))
    problems.push('PAYING_ACCOUNT_BIC must be a BIC of 8 or 11 characters, like GKCCBEBB');
  return problems;
}

/** Reads and validates the environment; throws one ConfigError naming every bad setting. */
export function loadConfig(env: Record<string, string | undefined> = process.env): PlatformConfig {
  const known = Object.keys(new PlatformConfig()).concat([
    'DATABASE_URL',
    'MIGRATIONS_DATABASE_URL',
    'DEMO_DATA',
    'DEMO_STORY',
    'SESSION_SECRET',
    'PUBLIC_URL',
    'COOKIE_SECURE',
    'SMTP_URL',
    'REMINDERS_ENABLED',
    'METRICS_TOKEN',
    'METRICS_PORT',
    'OIDC_ISSUER',
    'OIDC_CLIENT_ID',
    'OIDC_CLIENT_SECRET',
    'OIDC_REDIRECT_BASE_URL',
    'PAYING_ACCOUNT_IBAN',
    'PAYING_ACCOUNT_BIC',
    'PAYING_ACCOUNT_NAME',
  ]);
  const present = Object.fromEntries(Object.entries(env).filter(([key, value]) => known.includes(key) && value !== undefined && value !== ''));
  const config = plainToInstance(PlatformConfig, present);
  const errors = validateSync(config, { forbidUnknownValues: false });
  const messages = errors.flatMap((error) => Object.values(error.constraints ?? {}));
  if (config.NODE_ENV === 'production' && !config.SESSION_SECRET) messages.push('SESSION_SECRET is required in production');
  if (config.WORKERS > 1 && !config.DATABASE_URL) messages.push('WORKERS above 1 needs DATABASE_URL: the embedded database belongs to one process');
  if (config.NODE_ENV === 'production' && config.METRICS_TOKEN && config.METRICS_TOKEN.length < 32)
    messages.push('METRICS_TOKEN must have at least 32 characters in production');
  if (config.METRICS_PORT !== undefined && config.METRICS_PORT === config.PORT) messages.push('METRICS_PORT must differ from PORT');
  if (config.MIGRATIONS_DATABASE_URL && !config.DATABASE_URL) messages.push('MIGRATIONS_DATABASE_URL needs DATABASE_URL: the embedded database has one role');
  messages.push(...identityProviderProblems(config));
  messages.push(...payingAccountProblems(config));
  if (messages.length > 0) {
    throw new ConfigError(`Invalid configuration: ${[...new Set(messages)].join('; ')}`);
  }
  return config;
}
