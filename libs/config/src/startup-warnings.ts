import type { PlatformConfig } from './platform-config';

/**
 * What the platform warns about at start without refusing to run. The embedded database serves one process
 * from one in-process connection: at about 200 concurrent clients it sheds some 8 % of requests with 503
 * (docs/deployment.md, "The embedded database's limit"), so production belongs on a PostgreSQL server.
 */
export const EMBEDDED_IN_PRODUCTION =
  'NODE_ENV=production runs on the embedded database (no DATABASE_URL): one process, one connection; at about 200 concurrent users ' +
  'it answers some requests with 503. Use a PostgreSQL server for production (docs/deployment.md, "The embedded database\'s limit").';

/** Welcome and password-reset links travel only by mail (the outbox masks them): without SMTP they reach nobody. */
export const NO_SMTP_IN_PRODUCTION =
  'NODE_ENV=production runs without SMTP_URL: mails only reach the outbox, which masks one-time links, so new users and password resets ' +
  'get no usable link. Set SMTP_URL (README, "Configuration").';

/** Without a paying account the SEPA payment files name the demo account, which no bank will pay from. */
export const DEMO_PAYING_ACCOUNT_IN_PRODUCTION =
  'NODE_ENV=production runs without PAYING_ACCOUNT_IBAN, PAYING_ACCOUNT_BIC and PAYING_ACCOUNT_NAME: the SEPA payment files name a demo ' +
  'account that no bank will pay from. Set ABB\'s paying account (README, "Configuration").';

export function startupWarnings(config: Pick<PlatformConfig, 'NODE_ENV' | 'DATABASE_URL' | 'SMTP_URL' | 'PAYING_ACCOUNT_IBAN'>): string[] {
  if (config.NODE_ENV !== 'production') return [];
  return [
    ...(config.DATABASE_URL ? [] : [EMBEDDED_IN_PRODUCTION]),
    ...(config.SMTP_URL ? [] : [NO_SMTP_IN_PRODUCTION]),
    ...(config.PAYING_ACCOUNT_IBAN ? [] : [DEMO_PAYING_ACCOUNT_IN_PRODUCTION]),
  ];
}
