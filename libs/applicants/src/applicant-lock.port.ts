import { EntityManager } from 'typeorm';

/**
 * Whether an applicant's application is submitted and not reopened, asked inside a change's transaction.
 * A port: applicants declare it and inject it (APPLICANT_LOCK); applications implement it (ApplicantLockModule),
 * so that applicants never read the applications tables.
 */
export interface ApplicantLock {
  /** The status of the applicant's application while it is out of the applicant's hands (in Dutch), or null. */
  lockedStatus(manager: EntityManager, applicantId: number): Promise<{ status: string; labelNl: string } | null>;
}
export const APPLICANT_LOCK = Symbol('APPLICANT_LOCK');
