import { EntityManager } from 'typeorm';
import { NotFound, StaleVersion } from '@ps/kernel';
import { AuditActor, AuditService } from './audit.service';
import { VersionedRows } from './versioned-rows.repository';

/** How one versioned table is read, shown in the audit trail and named in a refusal. */
export interface VersionedRecord<R extends { version: number }> {
  /** The table; it has `id` and an integer `version` column. */
  table: string;
  /** The audit trail's entity type, e.g. 'application'. */
  entityType: string;
  /** For the stale-version refusal: "Deze aanvraag". */
  what: string;
  /** The record as the use case needs it, read inside the transaction (null when it does not exist). */
  load(manager: EntityManager, id: number): Promise<R | null>;
  /** The same, locking the row until the transaction ends in the same statement; without it the row is locked first. */
  loadLocked?(manager: EntityManager, id: number): Promise<R | null>;
  /** What the audit trail keeps of the record. */
  snapshot(record: R): object;
  /** The local governments whose officers may read the audit entry. */
  owners(record: R): number[] | Promise<number[]>;
}

export interface VersionedChangeResult<R> {
  before: R;
  after: R;
  /** False when the change set nothing new: no version bump, no audit row. */
  changed: boolean;
}

/**
 * The one way to change a versioned record, inside the caller's transaction:
 * lock the row, refuse a stale version (409), let `apply` decide the columns to set, write them with
 * `version = version + 1`, and audit before → after. A change that sets nothing writes nothing, unless
 * `options.childRowsChanged` says `apply` wrote the record's child rows itself.
 */
export async function changeVersioned<R extends { version: number }>(
  manager: EntityManager,
  audit: AuditService,
  actor: AuditActor,
  record: VersionedRecord<R>,
  id: number,
  expectedVersion: number,
  apply: (before: R) => Promise<Record<string, unknown>> | Record<string, unknown>,
  action = 'updated',
  options: { childRowsChanged?: boolean | (() => boolean) } = {},
): Promise<VersionedChangeResult<R>> {
  // The row lock makes the version check and the update one step for concurrent requests.
  const before = record.loadLocked
    ? await record.loadLocked(manager, id)
    : (await VersionedRows.lock(manager, record.table, id), await record.load(manager, id));
  if (!before) throw new NotFound();
  if (before.version !== expectedVersion) throw new StaleVersion(record.what);
  const columns = Object.entries(await apply(before));
  // A record whose change lives in child rows (an application's lines) sets no column of its own but is changed all the same.
  const childRowsChanged = typeof options.childRowsChanged === 'function' ? options.childRowsChanged() : !!options.childRowsChanged;
  if (columns.length === 0 && !childRowsChanged) return { before, after: before, changed: false };

  if (!(await VersionedRows.update(manager, record.table, id, expectedVersion, columns))) throw new StaleVersion(record.what);
  const after = (await record.load(manager, id))!;
  await audit.record(manager, actor, {
    entityType: record.entityType,
    entityId: id,
    action,
    before: record.snapshot(before),
    after: record.snapshot(after),
    ownerLocalGovernmentIds: [...new Set([...(await record.owners(before)), ...(await record.owners(after))])],
  });
  return { before, after, changed: true };
}
