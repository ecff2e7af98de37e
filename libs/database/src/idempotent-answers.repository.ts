import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** All SQL on idempotent_answer: the first answer to a request with an idempotency key, per user. */
@Injectable()
export class IdempotentAnswersRepository {
  async find(manager: EntityManager, userId: number, key: string): Promise<{ fingerprint: string; answer: unknown } | null> {
    const [row] = await manager.query(`SELECT fingerprint, answer FROM idempotent_answer WHERE user_id = $1 AND key = $2`, [userId, key]);
    return row ?? null;
  }

  async insert(manager: EntityManager, userId: number, key: string, fingerprint: string, answer: unknown): Promise<void> {
    await manager.query(`INSERT INTO idempotent_answer (user_id, key, fingerprint, answer) VALUES ($1, $2, $3, $4)`, [
      userId,
      key,
      fingerprint,
      JSON.stringify(answer),
    ]);
  }

  /** created_at is the database's own time, so this is too. */
  async deleteOlderThan(manager: EntityManager, hours: number): Promise<void> {
    await manager.query(`DELETE FROM idempotent_answer WHERE created_at < now() - make_interval(hours => $1)`, [hours]);
  }
}
