import { Global, Injectable, Module } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APPLICANT_LOCK, ApplicantLock } from '@ps/applicants';
import { ApplicationsRepository } from './applications.repository';
import { isEditable, Status, STATUS_LABELS_NL } from './workflow';

/** ApplicantLock: from submission until ABB reopens or returns it, the applicant's composition and account are frozen. */
@Injectable()
export class SubmittedApplicationLock implements ApplicantLock {
  constructor(private readonly repository: ApplicationsRepository) {}

  async lockedStatus(manager: EntityManager, applicantId: number): Promise<{ status: string; labelNl: string } | null> {
    const status = (await this.repository.statusForShare(manager, applicantId)) as Status | null;
    return status && !isEditable(status) ? { status, labelNl: STATUS_LABELS_NL[status] } : null;
  }
}

/**
 * Provides the applicants' APPLICANT_LOCK port. Global, because applicants sit below applications and cannot import
 * it; every context that loads ApplicantsModule (the platform, the CLI) imports this module once.
 */
@Global()
@Module({ providers: [ApplicationsRepository, { provide: APPLICANT_LOCK, useClass: SubmittedApplicationLock }], exports: [APPLICANT_LOCK] })
export class ApplicantLockModule {}
