import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export type ApplicantKind = 'alone' | 'cooperation' | 'vgc' | 'de-rand';

/** Invited: proposed by another local government's officer, not yet confirmed by its own officer (or ABB); it binds nothing. */
export type MemberState = 'invited' | 'member';

/** A projectindiener for one call: a local government alone, or a cooperation with a lead (trekker). */
@Entity('applicant')
export class Applicant {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'call_id', type: 'integer' }) callId: number;
  @Column({ type: 'varchar' }) kind: ApplicantKind;
  @Column({ name: 'name_nl', type: 'varchar' }) nameNl: string;
  @Column({ name: 'lead_local_government_id', type: 'integer' }) leadLocalGovernmentId: number;
  @Column({ type: 'integer' }) version: number;
}

/** Every participating local government of an applicant, the lead included; one applicant per call each. */
@Entity('applicant_member')
export class ApplicantMember {
  @PrimaryColumn({ name: 'applicant_id', type: 'integer' }) applicantId: number;
  @PrimaryColumn({ name: 'local_government_id', type: 'integer' }) localGovernmentId: number;
  @Column({ name: 'call_id', type: 'integer' }) callId: number;
}
