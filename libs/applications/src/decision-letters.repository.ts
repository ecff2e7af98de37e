import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface ArchivedLetterRow {
  sha256: string;
  content: Buffer | Uint8Array;
  created_at: Date;
}

/** Every statement on decision_letter. */
@Injectable()
export class DecisionLettersRepository {
  async find(manager: EntityManager, applicationId: number, runId: number | null): Promise<ArchivedLetterRow | null> {
    const [row] = await manager.query(
      `SELECT sha256, content, created_at FROM decision_letter WHERE application_id = $1 AND coalesce(allocation_run_id, 0) = coalesce($2::integer, 0)`,
      [applicationId, runId],
    );
    return row ?? null;
  }

  /** Stores the letter unless one was stored for the same application and run meanwhile (the first one stays). */
  async insertIfMissing(manager: EntityManager, applicationId: number, runId: number | null, sha256: string, content: Buffer): Promise<void> {
    await manager.query(
      `INSERT INTO decision_letter (application_id, allocation_run_id, sha256, content) VALUES ($1, $2, $3, $4)
       ON CONFLICT (application_id, coalesce(allocation_run_id, 0)) DO NOTHING`,
      [applicationId, runId, sha256, content],
    );
  }
}
