import { Conflict } from '@ps/kernel';
import { DataSource, EntityManager, QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { DatabaseUnreachable } from './unreachable';

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected
const UNIQUE_VIOLATION = '23505';
export const TRANSACTION_ATTEMPTS = 3;

export const sqlState = (error: unknown): string | undefined =>
  error instanceof QueryFailedError ? (error.driverError as { code?: string } | undefined)?.code : (error as { code?: string } | null)?.code;

export class BusyConflict extends Conflict {
  constructor() {
    super('Iemand anders wijzigde tegelijk dezelfde gegevens. Probeer het nog eens.');
  }
}

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt + Math.random() * 20));

/**
 * Runs work in a transaction and runs it again (fresh transaction, small jittered pause) when
 * PostgreSQL aborts it for a deadlock or serialization failure; after the last attempt, and for a
 * unique violation that escaped the service, the caller gets 409 instead of a 500. When the connection
 * broke under the transaction (the server restarted), TypeORM releases it at once and the transaction's
 * next statement finds it released: that is the outage (503), not a bug, and it is not retried here,
 * since a COMMIT whose answer was lost may have been applied.
 */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      let hooks: (() => void)[] = [];
      const result = await dataSource.transaction((manager) => {
        hooks = [];
        commitHooks.set(manager, hooks);
        return work(manager);
      });
      for (const hook of hooks) hook();
      return result;
    } catch (error) {
      if (error instanceof QueryRunnerProviderAlreadyReleasedError || error instanceof QueryRunnerAlreadyReleasedError) throw new DatabaseUnreachable();
      const state = sqlState(error);
      if (state === UNIQUE_VIOLATION) throw new BusyConflict();
      if (!state || !RETRYABLE.has(state)) throw error;
      if (attempt >= TRANSACTION_ATTEMPTS) throw new BusyConflict();
      await pause(attempt);
    }
  }
}

const commitHooks = new WeakMap<EntityManager, (() => void)[]>();

/**
 * Runs `hook` once the transaction of `manager` (begun by inTransaction) has committed, and not when it rolls back;
 * at once when `manager` is in no such transaction. For in-process caches of what the transaction changes.
 */
export function afterCommit(manager: EntityManager, hook: () => void): void {
  const hooks = commitHooks.get(manager);
  if (hooks) hooks.push(hook);
  else hook();
}
