import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { Role } from './roles';

@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar' }) email: string;
  @Column({ name: 'display_name', type: 'varchar' }) displayName: string;
  /** argon2id; null until the user has set a password through the mailed link. */
  @Column({ name: 'password_hash', type: 'varchar', nullable: true, select: false }) passwordHash: string | null;
  @Column({ type: 'varchar' }) role: Role;
  /** Set for municipal officers only: the local government they work for. */
  @Column({ name: 'local_government_id', type: 'integer', nullable: true }) localGovernmentId: number | null;
  @Column({ type: 'boolean' }) active: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @VersionColumn({ type: 'integer' }) version: number;
}

/** What the audit trail and the API show of a user (never the hash). */
export function userSnapshot(user: User) {
  return { email: user.email, displayName: user.displayName, role: user.role, localGovernmentId: user.localGovernmentId, active: user.active };
}
