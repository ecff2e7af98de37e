import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Role } from './roles';
import { User } from './user.entity';

/** A user as the lists show it, with the name of their local government. */
export interface UserRow {
  id: number;
  email: string;
  display_name: string;
  role: Role;
  local_government_id: number | null;
  active: boolean;
  created_at: Date;
  version: number;
}

/** What signing in and password links need of a user. */
export interface SignInRow {
  id: number;
  email: string;
  display_name: string;
  role: Role;
  local_government_id: number | null;
}

/** A usable password link with its user. */
export interface PasswordResetRow extends Omit<SignInRow, 'id'> {
  id: number;
  user_id: number;
}

/** An account as sign-in through the identity provider needs it: who it is, and to whom at which provider it is linked. */
export interface ProviderLinkRow extends SignInRow {
  active: boolean;
  version: number;
  provider_issuer: string | null;
  provider_subject: string | null;
}

const PROVIDER_SELECT = `SELECT id, email, display_name, role, local_government_id, active, version, provider_issuer, provider_subject FROM app_user`;

const USER_SELECT = `SELECT u.id, u.email, u.display_name, u.role, u.local_government_id, u.active, u.created_at, u.version FROM app_user u`;

/** All SQL on app_user and password_reset. */
@Injectable()
export class UsersRepository {
  list(manager: EntityManager): Promise<UserRow[]> {
    return manager.query(`${USER_SELECT} ORDER BY lower(u.email)`);
  }

  async listed(manager: EntityManager, id: number): Promise<UserRow | null> {
    const [row] = await manager.query(`${USER_SELECT} WHERE u.id = $1`, [id]);
    return row ?? null;
  }

  /** The user as an entity (never with the password hash). */
  find(manager: EntityManager, id: number): Promise<User | null> {
    return manager.findOneBy(User, { id });
  }

  /** Whether an account has this address, case-insensitively. */
  async emailTaken(manager: EntityManager, email: string): Promise<boolean> {
    const rows = await manager.query(`SELECT 1 FROM app_user WHERE lower(email) = lower($1)`, [email]);
    return rows.length > 0;
  }

  /** A new active user; the id. */
  async insert(
    manager: EntityManager,
    user: { email: string; displayName: string; passwordHash: string | null; role: Role; localGovernmentId: number | null },
  ): Promise<number> {
    const [row] = await manager.query(
      `INSERT INTO app_user (email, display_name, password_hash, role, local_government_id, active) VALUES ($1, $2, $3, $4, $5, true) RETURNING id`,
      [user.email, user.displayName, user.passwordHash, user.role, user.localGovernmentId],
    );
    return row.id;
  }

  /** The active user with this (lower-case) address, with the password hash for sign-in. */
  async activeWithPassword(manager: EntityManager, lowerCaseEmail: string): Promise<(SignInRow & { password_hash: string | null }) | null> {
    const [row] = await manager.query(
      `SELECT id, email, display_name, role, local_government_id, password_hash FROM app_user WHERE lower(email) = $1 AND active`,
      [lowerCaseEmail],
    );
    return row ?? null;
  }

  async activeById(manager: EntityManager, id: number): Promise<SignInRow | null> {
    const [row] = await manager.query(`SELECT id, email, display_name, role, local_government_id FROM app_user WHERE id = $1 AND active`, [id]);
    return row ?? null;
  }

  async activeByEmail(manager: EntityManager, email: string): Promise<SignInRow | null> {
    const [row] = await manager.query(`SELECT id, email, display_name, role, local_government_id FROM app_user WHERE lower(email) = lower($1) AND active`, [
      email,
    ]);
    return row ?? null;
  }

  /** The account linked to this person at this identity provider, active or not. */
  async byProviderSubject(manager: EntityManager, issuer: string, subject: string): Promise<ProviderLinkRow | null> {
    const [row] = await manager.query(`${PROVIDER_SELECT} WHERE provider_issuer = $1 AND provider_subject = $2`, [issuer, subject]);
    return row ?? null;
  }

  /** The account with this address (case-insensitively), active or not, with its link to a provider if any. */
  async byEmailWithLink(manager: EntityManager, email: string): Promise<ProviderLinkRow | null> {
    const [row] = await manager.query(`${PROVIDER_SELECT} WHERE lower(email) = lower($1)`, [email]);
    return row ?? null;
  }

  /** A new active account of a person the identity provider vouches for: linked to them, without a password; the id. */
  async insertFromProvider(
    manager: EntityManager,
    user: { email: string; displayName: string; role: Role; localGovernmentId: number | null; issuer: string; subject: string },
  ): Promise<number> {
    const [row] = await manager.query(
      `INSERT INTO app_user (email, display_name, password_hash, role, local_government_id, active, provider_issuer, provider_subject)
       VALUES ($1, $2, NULL, $3, $4, true, $5, $6) RETURNING id`,
      [user.email, user.displayName, user.role, user.localGovernmentId, user.issuer, user.subject],
    );
    return row.id;
  }

  /** A new password: a new version too, so an open edit form of the user is refused as stale. */
  async setPasswordHash(manager: EntityManager, userId: number, passwordHash: string): Promise<void> {
    await manager.query(`UPDATE app_user SET password_hash = $2, version = version + 1 WHERE id = $1`, [userId, passwordHash]);
  }

  async insertPasswordReset(manager: EntityManager, userId: number, tokenHash: string, expiresAt: Date): Promise<void> {
    await manager.query(`INSERT INTO password_reset (user_id, token_hash, expires_at) VALUES ($1, $2, $3)`, [userId, tokenHash, expiresAt]);
  }

  /** The unused, unexpired link with this hash of an active user, locked until the transaction ends. */
  async usableResetForUpdate(manager: EntityManager, tokenHash: string, now: Date): Promise<PasswordResetRow | null> {
    const [row] = await manager.query(
      `SELECT r.id, r.user_id, u.email, u.display_name, u.role, u.local_government_id FROM password_reset r JOIN app_user u ON u.id = r.user_id
        WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2 AND u.active FOR UPDATE OF r`,
      [tokenHash, now],
    );
    return row ?? null;
  }

  async markResetUsed(manager: EntityManager, id: number, now: Date): Promise<void> {
    await manager.query(`UPDATE password_reset SET used_at = $2 WHERE id = $1`, [id, now]);
  }
}
