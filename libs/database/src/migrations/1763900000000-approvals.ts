import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Approvals mean what they say: a decision per requested stimulus, the payout account confirmed at
 * approval (payments read only that one), and members who join a cooperation only with consent.
 */
export class Approvals1763900000000 implements MigrationInterface {
  name = 'Approvals1763900000000';

  async up(db: QueryRunner): Promise<void> {
    const decision = (prefix: string) =>
      `ADD COLUMN ${prefix}_granted boolean, ADD COLUMN ${prefix}_refusal_reason varchar(1000), ADD COLUMN ${prefix}_granted_cents bigint CHECK (${prefix}_granted_cents >= 0)`;
    await db.query(`ALTER TABLE application ${['cooperation_stimulus', 'mentorship_stimulus', 'impact_bond_stimulus'].map(decision).join(', ')}`);
    await db.query(`ALTER TABLE applicant ADD COLUMN confirmed_payout_iban varchar(34)`);
    // Applications approved before this migration were approved with the account they had.
    await db.query(
      `UPDATE applicant a SET confirmed_payout_iban = a.payout_iban FROM application ap WHERE ap.applicant_id = a.id AND ap.status = 'goedgekeurd'`,
    );
    await db.query(`ALTER TABLE applicant_member ADD COLUMN state varchar(10) NOT NULL DEFAULT 'member' CHECK (state IN ('invited', 'member'))`);
    await db.query(`DROP INDEX applicant_member_one_per_call`);
    // Only a confirmed membership binds a local government; an invitation blocks nothing.
    await db.query(
      `CREATE UNIQUE INDEX applicant_member_one_per_call ON applicant_member(call_id, local_government_id) WHERE NOT carried_over AND state = 'member'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM applicant_member WHERE state = 'invited'`);
    await db.query(`DROP INDEX applicant_member_one_per_call`);
    await db.query(`CREATE UNIQUE INDEX applicant_member_one_per_call ON applicant_member(call_id, local_government_id) WHERE NOT carried_over`);
    await db.query(`ALTER TABLE applicant_member DROP COLUMN state`);
    await db.query(`ALTER TABLE applicant DROP COLUMN confirmed_payout_iban`);
    for (const prefix of ['cooperation_stimulus', 'mentorship_stimulus', 'impact_bond_stimulus']) {
      await db.query(`ALTER TABLE application DROP COLUMN ${prefix}_granted, DROP COLUMN ${prefix}_refusal_reason, DROP COLUMN ${prefix}_granted_cents`);
    }
  }
}
