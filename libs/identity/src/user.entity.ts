import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from './roles';

@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar' }) email: string;
  @Column({ name: 'display_name', type: 'varchar' }) displayName: string;
  @Column({ name: 'password_hash', type: 'varchar', select: false }) passwordHash: string;
  @Column({ type: 'varchar' }) role: Role;
  /** Set for municipal officers only: the local government they work for. */
  @Column({ name: 'local_government_id', type: 'integer', nullable: true }) localGovernmentId: number | null;
  @Column({ type: 'boolean' }) active: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
