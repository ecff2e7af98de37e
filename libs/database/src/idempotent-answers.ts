import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { FieldErrors } from '@ps/kernel';
import { IdempotentAnswersRepository } from './idempotent-answers.repository';
import { jsonColumn } from './json-column';

/** A client's idempotency key with what identifies its request. */
export interface Idempotency {
  userId: number;
  key: string;
  fingerprint: string;
}

const KEY = /^[A-Za-z0-9_.:-]{8,100}$/;
const KEPT_HOURS = 24;

/**
 * Idempotent retries: the first successful answer to a request with a client-chosen key is stored in the
 * transaction of the change itself, so a retry (after a timeout, a lost connection, a double click) with the same
 * key gets that answer again instead of being refused as stale. Answers are kept 24 hours.
 */
@Injectable()
export class IdempotentAnswers {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly answers: IdempotentAnswersRepository,
  ) {}

  /**
   * The key as given (a header or a form field), checked, with the fingerprint of the request it stands for;
   * undefined when the client sent none (the key is optional).
   */
  static of(userId: number | null, key: unknown, request: unknown): Idempotency | undefined {
    if (key === undefined || key === null || key === '' || userId === null) return undefined;
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw new FieldErrors({
        idempotencyKey: ['De idempotentiesleutel is 8 tot 100 tekens: letters, cijfers, punt, dubbelepunt, koppel- of liggend streepje.'],
      });
    }
    return { userId, key, fingerprint: createHash('sha256').update(JSON.stringify(request)).digest('hex') };
  }

  /** The stored answer to this key, or undefined; a key used before for another request is refused. */
  async recall<T>(idempotency: Idempotency): Promise<T | undefined> {
    const found = await this.answers.find(this.dataSource.manager, idempotency.userId, idempotency.key);
    if (!found) return undefined;
    if (found.fingerprint !== idempotency.fingerprint) {
      throw new FieldErrors({ idempotencyKey: ['Deze idempotentiesleutel werd al gebruikt voor een ander verzoek; gebruik een nieuwe.'] });
    }
    return jsonColumn<T>(found.answer);
  }

  /** Stores the answer in the change's own transaction: both are kept, or neither. */
  async remember(manager: EntityManager, idempotency: Idempotency, answer: unknown): Promise<void> {
    await this.answers.insert(manager, idempotency.userId, idempotency.key, idempotency.fingerprint, answer);
    if (Math.random() < 0.01) await this.answers.deleteOlderThan(manager, KEPT_HOURS);
  }
}
