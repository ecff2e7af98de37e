import { DataSource, QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { inTransaction } from './transactions';
import { DatabaseUnreachable, isDatabaseUnreachable } from './unreachable';

const withCode = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

describe('isDatabaseUnreachable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    [
      'a server shutting down (57P01) under a query',
      new QueryFailedError('SELECT 1', [], withCode('terminating connection due to administrator command', '57P01')),
    ],
    ['a server not yet accepting connections (57P03)', withCode('the database system is starting up', '57P03')],
    ['a connection exception (08006)', withCode('connection failure', '08006')],
    ['too many connections (53300)', withCode('sorry, too many clients already', '53300')],
    ['a connection terminated under a query', new Error('Connection terminated unexpectedly')],
    ['a pooled client that lost its connection', new Error('Client has encountered a connection error and is not queryable')],
    ['a database closed to connections', withCode('database "plan" is not currently accepting connections', '55000')],
    ['every address refused', Object.assign(new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], ''), {})],
    ['a wrapped cause', new Error('cannot save', { cause: withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED') })],
  ])('recognises %s', (_what, error) => {
    expect(isDatabaseUnreachable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], withCode('duplicate key value violates unique constraint', '23505'))],
    ['a syntax error', new QueryFailedError('SELEC', [], withCode('syntax error at or near "SELEC"', '42601'))],
    ['another object state error (55000)', withCode('cannot execute in this state', '55000')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['nothing', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('does not take %s for an outage', (_what, error) => {
    expect(isDatabaseUnreachable(error)).toBe(false);
  });
});

describe('inTransaction when the connection breaks under it', () => {
  // TypeORM releases a query runner whose connection emitted an error; the transaction's next statement (or its COMMIT) then finds it released.
  it.each([
    ['a statement', new QueryRunnerProviderAlreadyReleasedError()],
    ['the commit', new QueryRunnerAlreadyReleasedError()],
  ])('answers DatabaseUnreachable (503) when %s finds the connection released, without running the work again', async (_what, error) => {
    let attempts = 0;
    const dataSource = {
      transaction: async () => {
        attempts++;
        throw error;
      },
    } as unknown as DataSource;
    await expect(inTransaction(dataSource, async () => undefined)).rejects.toBeInstanceOf(DatabaseUnreachable);
    expect(attempts).toBe(1);
  });
});
