import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DecisionLettersRepository } from './decision-letters.repository';

export interface ArchivedLetter {
  content: Buffer;
  sha256: string;
  archivedAt: Date;
}

/**
 * Decision letters as they were first sent: one per application and published allocation run (and one for the
 * approval before any run), kept with their SHA-256. A later change cannot silently alter a letter once sent.
 */
@Injectable()
export class DecisionLetterArchive {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: DecisionLettersRepository,
  ) {}

  /** The archived letter, or the one `render` makes, archived first; when two are made at once, the first stored wins. */
  async keep(applicationId: number, runId: number | null, render: () => Promise<Buffer>): Promise<ArchivedLetter> {
    const manager = this.dataSource.manager;
    const archived = await this.repository.find(manager, applicationId, runId);
    if (archived) return toLetter(archived);
    const content = await render();
    await this.repository.insertIfMissing(manager, applicationId, runId, createHash('sha256').update(content).digest('hex'), content);
    return toLetter((await this.repository.find(manager, applicationId, runId))!);
  }
}

function toLetter(row: { sha256: string; content: Buffer | Uint8Array; created_at: Date }): ArchivedLetter {
  return { content: Buffer.from(row.content), sha256: row.sha256.trim(), archivedAt: row.created_at };
}
