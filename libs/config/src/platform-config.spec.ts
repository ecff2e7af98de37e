import { ConfigError, DEMO_PAYING_ACCOUNT, loadConfig } from './platform-config';

describe('configuration', () => {
  it('defaults to port 3000 on the embedded database with demo data', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.embedded).toBe(true);
    expect(config.loadDemoData).toBe(true);
    expect(config.MIGRATIONS_RUN).toBe(true);
  });

  it('uses a server without demo data unless asked', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/plan' });
    expect(config.embedded).toBe(false);
    expect(config.loadDemoData).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@db/plan?sslmode=require', DEMO_DATA: 'yes' }).loadDemoData).toBe(true);
  });

  it('names every bad setting in one message', () => {
    expect(() => loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://x', MIGRATIONS_RUN: 'maybe' })).toThrow(
      new ConfigError(
        'Invalid configuration: PORT must be a whole number between 1 and 65535; DATABASE_URL must look like postgres://user@host:5432/database; MIGRATIONS_RUN must be true or false',
      ),
    );
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT must be a whole number/);
  });

  it('runs more than one worker process only on a PostgreSQL server', () => {
    expect(loadConfig({}).WORKERS).toBe(1);
    expect(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/plan', WORKERS: '2' }).WORKERS).toBe(2);
    expect(() => loadConfig({ WORKERS: '2' })).toThrow(/WORKERS above 1 needs DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/plan', WORKERS: '0' })).toThrow(
      /WORKERS must be a whole number between 1 and 32/,
    );
  });

  it('mails through SMTP only when SMTP_URL is set, and runs the reminders except in tests', () => {
    const defaults = loadConfig({});
    expect(defaults.SMTP_URL).toBeUndefined();
    expect(defaults.MAIL_FROM).toBe('Plan Samenleven <noreply@plansamenleven.test>');
    expect(defaults.remindersEnabled).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).remindersEnabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', REMINDERS_ENABLED: 'true' }).remindersEnabled).toBe(true);
    const smtp = loadConfig({ SMTP_URL: 'smtps://user:secret@mail.example.be:465', MAIL_FROM: 'ABB <plan@example.be>' });
    expect([smtp.SMTP_URL, smtp.MAIL_FROM]).toEqual(['smtps://user:secret@mail.example.be:465', 'ABB <plan@example.be>']);
    expect(() => loadConfig({ SMTP_URL: 'mail.example.be', MAIL_FROM: 'nobody', REMINDERS_ENABLED: 'sometimes' })).toThrow(
      /SMTP_URL must look like .*MAIL_FROM must look like .*REMINDERS_ENABLED must be true or false/,
    );
  });
  it('opens /metrics only with a long enough token in production, or on a port of its own', () => {
    const defaults = loadConfig({});
    expect([defaults.METRICS_TOKEN, defaults.METRICS_PORT]).toEqual([undefined, undefined]);
    const secret = 'm'.repeat(32);
    const production = { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32) };
    expect(loadConfig({ ...production, METRICS_TOKEN: secret, METRICS_PORT: '9464' })).toMatchObject({ METRICS_TOKEN: secret, METRICS_PORT: 9464 });
    expect(loadConfig({ METRICS_TOKEN: 'short' }).METRICS_TOKEN).toBe('short');
    expect(() => loadConfig({ ...production, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must have at least 32 characters in production/);
    expect(() => loadConfig({ METRICS_TOKEN: 'two words', METRICS_PORT: '0' })).toThrow(
      /METRICS_TOKEN must be printable characters without spaces; METRICS_PORT must be a whole number between 1 and 65535/,
    );
    expect(() => loadConfig({ PORT: '8080', METRICS_PORT: '8080' })).toThrow(/METRICS_PORT must differ from PORT/);
  });

  it('signs in through the identity provider only with issuer, client id and secret together, over https', () => {
    expect(loadConfig({}).identityProvider).toBeNull();
    const provider = { OIDC_ISSUER: 'https://authenticatie.vlaanderen.be/op', OIDC_CLIENT_ID: 'plan-samenleven', OIDC_CLIENT_SECRET: 's'.repeat(32) };
    expect(loadConfig({ ...provider, PUBLIC_URL: 'https://plan.example.be/' }).identityProvider).toEqual({
      issuer: 'https://authenticatie.vlaanderen.be/op',
      clientId: 'plan-samenleven',
      clientSecret: 's'.repeat(32),
      redirectUri: 'https://plan.example.be/aanmelden/acm-idm/terug',
      postLogoutRedirectUri: 'https://plan.example.be/aanmelden?afgemeld=1',
    });
    expect(loadConfig({ ...provider, OIDC_REDIRECT_BASE_URL: 'https://intern.example.be' }).identityProvider?.redirectUri).toBe(
      'https://intern.example.be/aanmelden/acm-idm/terug',
    );
    expect(() => loadConfig({ OIDC_ISSUER: provider.OIDC_ISSUER })).toThrow(/OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET go together/);
    expect(() => loadConfig({ ...provider, OIDC_CLIENT_SECRET: 'short' })).toThrow(/OIDC_CLIENT_SECRET must be at least 16/);
    expect(() => loadConfig({ ...provider, OIDC_ISSUER: 'http://idp.example.be' })).toThrow(/OIDC_ISSUER must use https/);
    expect(loadConfig({ ...provider, OIDC_ISSUER: 'http://127.0.0.1:4000' }).identityProvider?.issuer).toBe('http://127.0.0.1:4000');
    const production = { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32) };
    expect(() => loadConfig({ ...production, ...provider, OIDC_ISSUER: 'http://127.0.0.1:4000' })).toThrow(/OIDC_ISSUER must use https/);
  });

  it('keeps password sign-in for everyone unless the provider is in use and the setting says platform administrators only', () => {
    expect(loadConfig({}).PASSWORD_SIGN_IN).toBe('everyone');
    const provider = { OIDC_ISSUER: 'https://idp.example.be', OIDC_CLIENT_ID: 'plan', OIDC_CLIENT_SECRET: 's'.repeat(32) };
    expect(loadConfig({ ...provider, PASSWORD_SIGN_IN: 'platform-administrators' }).PASSWORD_SIGN_IN).toBe('platform-administrators');
    expect(() => loadConfig({ PASSWORD_SIGN_IN: 'platform-administrators' })).toThrow(/PASSWORD_SIGN_IN=platform-administrators needs the identity provider/);
    expect(() => loadConfig({ PASSWORD_SIGN_IN: 'nobody' })).toThrow(/PASSWORD_SIGN_IN must be everyone or platform-administrators/);
  });
});

describe('the paying account of the SEPA files', () => {
  it('is the demo account until all three settings are given', () => {
    expect(loadConfig({}).payingAccount).toEqual({ ...DEMO_PAYING_ACCOUNT, demo: true });
    const set = loadConfig({
      PAYING_ACCOUNT_IBAN: 'be71 0961 2345 6769',
      PAYING_ACCOUNT_BIC: 'gkcc bebb',
      PAYING_ACCOUNT_NAME: 'Agentschap Binnenlands Bestuur',
    });
    expect(set.payingAccount).toEqual({ iban: 'BE71096123456769', bic: 'GKCCBEBB', name: 'Agentschap Binnenlands Bestuur', demo: false });
  });

  it('names every bad or missing part of the account in one message', () => {
    expect(() => loadConfig({ PAYING_ACCOUNT_IBAN: 'BE71096123456769' })).toThrow(
      /PAYING_ACCOUNT_IBAN, PAYING_ACCOUNT_BIC and PAYING_ACCOUNT_NAME go together/,
    );
    expect(() =>
      loadConfig({ PAYING_ACCOUNT_IBAN: 'BE71096123456760', PAYING_ACCOUNT_BIC: 'GKCC', PAYING_ACCOUNT_NAME: 'Agentschap Binnenlands Bestuur' }),
    ).toThrow(/PAYING_ACCOUNT_IBAN must be a valid IBAN.*PAYING_ACCOUNT_BIC must be a BIC of 8 or 11 characters/);
    expect(() =>
      loadConfig({ PAYING_ACCOUNT_IBAN: 'BE71096123456769', PAYING_ACCOUNT_BIC: 'GKCCBEBB', PAYING_ACCOUNT_NAME: 'Agentschap Binnenlands Bestuur – €' }),
    ).toThrow(/PAYING_ACCOUNT_NAME must be 1 to 70 characters of the SEPA set/);
  });
});
