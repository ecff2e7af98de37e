import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PaymentKind } from '@ps/payments';

export interface ReleasedPaymentRow {
  applicant_id: number;
  kind: PaymentKind;
  amount_cents: string | number;
  reference: string;
  released_at: Date;
  release_proposal_id: number | null;
}

/** The released payments of a run, for its payment files (the payment table belongs to this lib). */
@Injectable()
export class PaymentFilesRepository {
  releasedPaymentsOf(manager: EntityManager, runId: number): Promise<ReleasedPaymentRow[]> {
    return manager.query(
      `SELECT applicant_id, kind, amount_cents, reference, released_at, release_proposal_id FROM payment
        WHERE run_id = $1 AND released_at IS NOT NULL ORDER BY applicant_id, kind`,
      [runId],
    );
  }
}
