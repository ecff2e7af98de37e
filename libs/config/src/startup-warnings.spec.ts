import { DEMO_PAYING_ACCOUNT_IN_PRODUCTION, EMBEDDED_IN_PRODUCTION, NO_SMTP_IN_PRODUCTION, startupWarnings } from './startup-warnings';

const SMTP_URL = 'smtp://mail.example.be:587';
const PAYING_ACCOUNT_IBAN = 'BE68539007547034';

describe('startupWarnings', () => {
  it('warns when production runs on the embedded database', () => {
    expect(startupWarnings({ NODE_ENV: 'production', SMTP_URL, PAYING_ACCOUNT_IBAN })).toEqual([EMBEDDED_IN_PRODUCTION]);
  });

  it('warns when production has no mail server, as one-time links then reach nobody', () => {
    expect(startupWarnings({ NODE_ENV: 'production', DATABASE_URL: 'postgres://app@db:5432/plan', PAYING_ACCOUNT_IBAN })).toEqual([NO_SMTP_IN_PRODUCTION]);
    expect(startupWarnings({ NODE_ENV: 'production' })).toEqual([EMBEDDED_IN_PRODUCTION, NO_SMTP_IN_PRODUCTION, DEMO_PAYING_ACCOUNT_IN_PRODUCTION]);
  });

  it('warns when production pays from the demo account, as no bank would', () => {
    expect(startupWarnings({ NODE_ENV: 'production', DATABASE_URL: 'postgres://app@db:5432/plan', SMTP_URL })).toEqual([DEMO_PAYING_ACCOUNT_IN_PRODUCTION]);
  });

  it('is silent for production on a PostgreSQL server with SMTP, and for development and test on either', () => {
    expect(startupWarnings({ NODE_ENV: 'production', DATABASE_URL: 'postgres://app@db:5432/plan', SMTP_URL, PAYING_ACCOUNT_IBAN })).toEqual([]);
    expect(startupWarnings({ NODE_ENV: 'development' })).toEqual([]);
    expect(startupWarnings({ NODE_ENV: 'test' })).toEqual([]);
    expect(startupWarnings({ NODE_ENV: 'development', DATABASE_URL: 'postgres://app@db:5432/plan' })).toEqual([]);
  });
});
