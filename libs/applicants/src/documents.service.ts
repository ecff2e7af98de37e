import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PDFDocument } from 'pdf-lib';
import { inTransaction } from '@ps/database';
import { AuditService } from '@ps/audit';
import { Actor } from '@ps/identity';
import { FieldErrors, NotFound } from '@ps/kernel';
import { ApplicantsRepository } from './applicants.repository';
import { ContactPayoutService } from './contact-payout.service';
import { DocumentsRepository } from './documents.repository';

export const MAX_LETTER_BYTES = 5 * 1024 * 1024;

/** A file is a PDF when a real parser reads it and finds at least one page, not when it merely starts with "%PDF-". */
export async function isPdfWithPages(bytes: Buffer): Promise<boolean> {
  if (!bytes.subarray(0, 5).equals(Buffer.from('%PDF-'))) return false;
  try {
    const document = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: true });
    return document.getPageCount() > 0;
  } catch {
    return false;
  }
}

export interface UploadedFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

export interface DocumentInfo {
  id: number;
  filename: string;
  sizeBytes: number;
  sha256: string;
  uploadedAt: Date;
}

/** The signed confirmation letter for a payout account: PDF only, at most 5 MB, kept in PostgreSQL with its SHA-256. */
@Injectable()
export class DocumentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly contactPayout: ContactPayoutService,
    private readonly applicantRows: ApplicantsRepository,
    private readonly documents: DocumentsRepository,
  ) {}

  async uploadIbanLetter(actor: Actor, applicantId: number, file: UploadedFile | undefined): Promise<DocumentInfo> {
    const problem = !file
      ? 'Kies een PDF-bestand met de bevestigingsbrief.'
      : file.size > MAX_LETTER_BYTES
        ? 'Het bestand is groter dan 5 MB.'
        : file.mimetype !== 'application/pdf' || !(await isPdfWithPages(file.buffer))
          ? 'Enkel een PDF-bestand is toegestaan.'
          : null;
    if (problem) throw new FieldErrors({ letter: [problem] });
    const pdf = file!;
    const filename = pdf.originalname.replace(/[^\w.\- ]+/g, '_').slice(-150) || 'brief.pdf';
    const sha256 = createHash('sha256').update(pdf.buffer).digest('hex');
    return inTransaction(this.dataSource, async (manager) => {
      const members = await this.applicantRows.memberStates(manager, applicantId);
      if (members.length === 0) throw new NotFound();
      await this.contactPayout.refuseLetterWhenLocked(manager, applicantId);
      // The letter confirms the payout account as it is now; a later change of account needs a new letter.
      const row = await this.documents.insertIbanLetter(manager, {
        applicantId,
        filename,
        sizeBytes: pdf.size,
        sha256,
        content: pdf.buffer,
        uploadedBy: actor.userId,
      });
      const info = { id: row.id, filename, sizeBytes: pdf.size, sha256, uploadedAt: row.uploadedAt };
      await this.audit.record(manager, actor, {
        entityType: 'applicant',
        entityId: applicantId,
        action: 'iban-letter-uploaded',
        after: { filename, sizeBytes: pdf.size, sha256 },
        ownerLocalGovernmentIds: members.map((m) => m.localGovernmentId),
      });
      return info;
    });
  }

  latestIbanLetter(applicantId: number): Promise<DocumentInfo | null> {
    return this.documents.latestIbanLetter(this.dataSource.manager, applicantId);
  }

  /** The latest confirmation letter's file (for any account); 404 when none was uploaded. */
  async latestIbanLetterFile(applicantId: number): Promise<{ filename: string; content: Buffer }> {
    const file = await this.documents.latestIbanLetterFile(this.dataSource.manager, applicantId);
    if (!file) throw new NotFound();
    return file;
  }
}
