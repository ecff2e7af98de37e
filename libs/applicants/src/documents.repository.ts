import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface StoredDocument {
  id: number;
  filename: string;
  sizeBytes: number;
  sha256: string;
  uploadedAt: Date;
}

export interface IbanLetterInsert {
  applicantId: number;
  filename: string;
  sizeBytes: number;
  sha256: string;
  content: Buffer;
  uploadedBy: number | null;
}

/** All SQL on applicant_document: the signed confirmation letters of payout accounts. */
@Injectable()
export class DocumentsRepository {
  /** Stores a letter for the applicant's payout account as it is now; a later change of account needs a new letter. */
  async insertIbanLetter(manager: EntityManager, letter: IbanLetterInsert): Promise<{ id: number; uploadedAt: Date }> {
    const [row] = await manager.query(
      `INSERT INTO applicant_document (applicant_id, kind, filename, content_type, size_bytes, sha256, content, uploaded_by, iban)
       VALUES ($1, 'iban-confirmation', $2, 'application/pdf', $3, $4, $5, $6, (SELECT payout_iban FROM applicant WHERE id = $1)) RETURNING id, uploaded_at`,
      [letter.applicantId, letter.filename, letter.sizeBytes, letter.sha256, letter.content, letter.uploadedBy],
    );
    return { id: row.id, uploadedAt: row.uploaded_at };
  }

  /** The latest letter for the current payout account, or null. */
  async latestIbanLetter(manager: EntityManager, applicantId: number): Promise<StoredDocument | null> {
    const [row] = await manager.query(
      `SELECT d.id, d.filename, d.size_bytes, d.sha256, d.uploaded_at FROM applicant_document d JOIN applicant a ON a.id = d.applicant_id
        WHERE d.applicant_id = $1 AND d.kind = 'iban-confirmation' AND d.iban = a.payout_iban ORDER BY d.id DESC LIMIT 1`,
      [applicantId],
    );
    return row ? { id: row.id, filename: row.filename, sizeBytes: row.size_bytes, sha256: row.sha256, uploadedAt: row.uploaded_at } : null;
  }

  /** The latest letter's file, for any account, or null. */
  async latestIbanLetterFile(manager: EntityManager, applicantId: number): Promise<{ filename: string; content: Buffer } | null> {
    const [row] = await manager.query(
      `SELECT filename, content FROM applicant_document WHERE applicant_id = $1 AND kind = 'iban-confirmation' ORDER BY id DESC LIMIT 1`,
      [applicantId],
    );
    return row ? { filename: row.filename, content: Buffer.from(row.content) } : null;
  }

  /** Whether a confirmation letter for the current payout account was uploaded. */
  hasLetterFor(manager: EntityManager, applicantId: number): Promise<boolean> {
    return hasLetterFor(manager, applicantId);
  }

  /** Whether this user uploaded a letter for the current payout account (four eyes on money). */
  async letterUploadedBy(manager: EntityManager, applicantId: number, userId: number): Promise<boolean> {
    const [row] = await manager.query(
      `SELECT EXISTS (SELECT 1 FROM applicant_document d JOIN applicant a ON a.id = d.applicant_id
                       WHERE d.applicant_id = $1 AND d.kind = 'iban-confirmation' AND d.iban = a.payout_iban AND d.uploaded_by = $2) AS uploaded`,
      [applicantId, userId],
    );
    return !!row?.uploaded;
  }
}

/**
 * Whether a confirmation letter for the current payout account was uploaded.
 * Exported for the applications lib until it asks `ApplicantReadModel` instead.
 */
export async function hasLetterFor(manager: EntityManager, applicantId: number): Promise<boolean> {
  const [letter] = await manager.query(
    `SELECT 1 FROM applicant_document d JOIN applicant a ON a.id = d.applicant_id WHERE d.applicant_id = $1 AND d.kind = 'iban-confirmation' AND d.iban = a.payout_iban`,
    [applicantId],
  );
  return !!letter;
}
