import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '@ps/audit';
import { Actor } from '@ps/identity';
import { FieldErrors, normaliseIban, normalisePhone, NotPermitted } from '@ps/kernel';
import { ApplicantDetail, ApplicantRecords, frozen, isAbb } from './applicant-records';
import { ApplicantsRepository } from './applicants.repository';
import { DocumentsRepository } from './documents.repository';
import { ContactDto } from './dto';

/**
 * Contact and payout of a projectindiener (applicant): its contact person and payout account, the account's confirmation
 * at approval and, for a change after approval, ABB's confirmation by a second person (four eyes on money).
 */
@Injectable()
export class ContactPayoutService {
  constructor(
    private readonly audit: AuditService,
    private readonly records: ApplicantRecords,
    private readonly repository: ApplicantsRepository,
    private readonly documents: DocumentsRepository,
  ) {}

  updateContact(actor: Actor, applicantId: number, input: ContactDto): Promise<ApplicantDetail> {
    const phone = normalisePhone(input.contactPhone);
    const iban = normaliseIban(input.payoutIban);
    const errors: Record<string, string[]> = {};
    if (!phone) errors.contactPhone = ['Vul een geldig telefoonnummer in, zoals 09 266 55 00 of +32 470 12 34 56.'];
    if (!iban) errors.payoutIban = ['Dit IBAN klopt niet: controleer het land, de lengte en de controlecijfers.'];
    if (Object.keys(errors).length > 0) return Promise.reject(new FieldErrors(errors));
    return this.records.change(actor, applicantId, input.version, 'contact-updated', async (manager, before) => {
      if (iban !== before.contact.iban) await this.refuseAccountChangeWhenLocked(manager, actor, applicantId);
      return { contact_name: input.contactName, contact_email: input.contactEmail, contact_phone: phone, payout_iban: iban };
    });
  }

  /** ABB confirms an account changed after approval, once its signed letter is there; from then on payments use it. */
  confirmPayoutChange(actor: Actor, applicantId: number, version: number): Promise<ApplicantDetail> {
    return this.records.change(actor, applicantId, version, 'payout-account-confirmed', async (manager, before) => {
      if (!before.payoutChangePending) throw new FieldErrors({ payoutIban: ['Er is geen gewijzigd rekeningnummer om te bevestigen.'] });
      if (!(await this.documents.hasLetterFor(manager, applicantId)))
        throw new FieldErrors({ payoutIban: ['Voeg eerst de ondertekende bevestigingsbrief voor het nieuwe rekeningnummer toe.'] });
      if (await this.changedPayoutOrLetter(manager, applicantId, actor)) {
        throw new NotPermitted('Wie het rekeningnummer wijzigde of de brief toevoegde, bevestigt het niet zelf: een tweede medewerker van ABB bevestigt.');
      }
      return { confirmed_payout_iban: before.contact.iban };
    });
  }

  /** At approval, the account as submitted becomes the confirmed one (inside the approval's transaction). */
  confirmPayoutAccountAtApproval(manager: EntityManager, applicantId: number): Promise<void> {
    return this.repository.confirmPayoutAccount(manager, applicantId);
  }

  /** A new confirmation letter is refused once the application is submitted, unless it is for an account change ABB allowed after approval. */
  async refuseLetterWhenLocked(manager: EntityManager, applicantId: number): Promise<void> {
    if (!(await this.repository.payoutChangePending(manager, applicantId))) await this.records.refuseWhenLocked(manager, applicantId);
  }

  /** After approval ABB may change the account: it stays pending until a new letter is there and ABB confirms it. */
  private async refuseAccountChangeWhenLocked(manager: EntityManager, actor: Actor, applicantId: number): Promise<void> {
    const locked = await this.records.lockedStatus(manager, applicantId);
    if (!locked || (locked.status === 'goedgekeurd' && isAbb(actor))) return;
    throw frozen(
      locked.labelNl,
      locked.status === 'goedgekeurd' ? ' Na goedkeuring wijzigt enkel ABB het rekeningnummer, met een nieuwe bevestigingsbrief.' : '',
    );
  }

  /** Four eyes on money: whether this person changed the pending account or uploaded its letter. */
  private async changedPayoutOrLetter(manager: EntityManager, applicantId: number, actor: Actor): Promise<boolean> {
    if (actor.userId === null) return false;
    return (
      (await this.documents.letterUploadedBy(manager, applicantId, actor.userId)) || (await this.payoutAccountChangedBy(manager, applicantId, actor.userId))
    );
  }

  /** Whether this user changed the payout IBAN of the applicant (read from the audit trail). */
  private async payoutAccountChangedBy(manager: EntityManager, applicantId: number, userId: number): Promise<boolean> {
    const changes = await this.audit.entriesBy(manager, 'applicant', applicantId, 'contact-updated', userId);
    const iban = (snapshot: object | null) => (snapshot as { contact?: { iban?: unknown } } | null)?.contact?.iban ?? null;
    return changes.some((entry) => iban(entry.after) !== iban(entry.before));
  }
}
