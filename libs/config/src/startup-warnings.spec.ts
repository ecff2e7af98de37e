import { EMBEDDED_IN_PRODUCTION, startupWarnings } from './startup-warnings';

describe('startupWarnings', () => {
  it('warns when production runs on the embedded database', () => {
    expect(startupWarnings({ NODE_ENV: 'production' })).toEqual([EMBEDDED_IN_PRODUCTION]);
  });

  it('is silent for production on a PostgreSQL server, and for development and test on either', () => {
    expect(startupWarnings({ NODE_ENV: 'production', DATABASE_URL: 'postgres://app@db:5432/plan' })).toEqual([]);
    expect(startupWarnings({ NODE_ENV: 'development' })).toEqual([]);
    expect(startupWarnings({ NODE_ENV: 'test' })).toEqual([]);
    expect(startupWarnings({ NODE_ENV: 'development', DATABASE_URL: 'postgres://app@db:5432/plan' })).toEqual([]);
  });
});
