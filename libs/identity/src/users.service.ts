import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@ps/database';
import { AuditService } from '@ps/audit';
import { PlatformConfig } from '@ps/config';
import { Clock, FieldErrors, NotFound, StaleVersion } from '@ps/kernel';
import { MailOutbox } from '@ps/notifications';
import { Actor } from './actor';
import { hashPassword } from './passwords';
import { Role, ROLE_LABELS_NL } from './roles';
import { newSecret } from './secrets';
import { signOutEverywhere } from './sign-out-everywhere';
import { User, userSnapshot } from './user.entity';

export interface NewUser {
  email: string;
  displayName: string;
  role: Role;
  localGovernmentId?: number | null;
}

export interface UserChange {
  displayName: string;
  role: Role;
  localGovernmentId: number | null;
  active: boolean;
  version: number;
}

export interface UserListItem extends Omit<User, 'passwordHash'> {
  localGovernmentName: string | null;
}

const WELCOME_LINK_DAYS = 7;
const USER_SELECT = `SELECT u.id, u.email, u.display_name, u.role, u.local_government_id, u.active, u.created_at, u.version, lg.name_nl AS lg_name
  FROM app_user u LEFT JOIN local_government lg ON lg.id = u.local_government_id`;

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: MailOutbox,
    private readonly config: PlatformConfig,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<UserListItem[]> {
    const rows = await this.dataSource.query(`${USER_SELECT} ORDER BY lower(u.email)`);
    return rows.map(toListItem);
  }

  get(id: number): Promise<UserListItem> {
    return this.getWith(this.dataSource.manager, id);
  }

  /** Creates an account without a password and mails a link to set one. */
  create(actor: Actor, input: NewUser): Promise<UserListItem> {
    return inTransaction(this.dataSource, async (manager) => {
      await this.checkRoleAndLocalGovernment(manager, input.role, input.localGovernmentId ?? null);
      await this.checkEmailFree(manager, input.email);
      const user = await this.insert(manager, input, null);
      await this.audit.record(manager, actor, { entityType: 'user', entityId: user.id, action: 'created', after: userSnapshot(user), ownerLocalGovernmentIds: owners(user) });
      const { secret, hash } = newSecret('ps_welcome');
      const expires = new Date(this.clock.now().getTime() + WELCOME_LINK_DAYS * 86_400_000);
      await manager.query(`INSERT INTO password_reset (user_id, token_hash, expires_at) VALUES ($1, $2, $3)`, [user.id, hash, expires]);
      await this.outbox.send(manager, {
        to: user.email,
        subject: 'Uw account voor Plan Samenleven',
        body: `Beste ${user.displayName},\n\nEr is een account voor u aangemaakt als ${ROLE_LABELS_NL[user.role]}.\nKies uw wachtwoord binnen ${WELCOME_LINK_DAYS} dagen via ${this.config.publicUrl}/wachtwoord-herstellen?token=${secret}\n\nAgentschap Binnenlands Bestuur`,
      });
      return this.getWith(manager, user.id);
    });
  }

  /** Role, local government, name and status; refused with 409 when someone changed the user meanwhile. */
  update(actor: Actor, id: number, change: UserChange): Promise<UserListItem> {
    return inTransaction(this.dataSource, async (manager) => {
      const before = await manager.findOneBy(User, { id });
      if (!before) throw new NotFound();
      await this.checkRoleAndLocalGovernment(manager, change.role, change.localGovernmentId);
      if (actor.userId === id && (!change.active || change.role !== before.role)) {
        throw new FieldErrors({ role: ['U kunt uw eigen rol of status niet wijzigen; vraag het aan een andere beheerder.'] });
      }
      // TypeORM answers an UPDATE with [rows, affected].
      const [updated] = await manager.query(
        `UPDATE app_user SET display_name = $3, role = $4, local_government_id = $5, active = $6, version = version + 1
          WHERE id = $1 AND version = $2 RETURNING id`,
        [id, change.version, change.displayName, change.role, change.localGovernmentId, change.active],
      );
      if (updated.length === 0) throw new StaleVersion('Deze gebruiker');
      const after = await manager.findOneByOrFail(User, { id });
      const action = before.active && !after.active ? 'deactivated' : !before.active && after.active ? 'reactivated' : 'updated';
      await this.audit.record(manager, actor, {
        entityType: 'user', entityId: id, action, before: userSnapshot(before), after: userSnapshot(after),
        ownerLocalGovernmentIds: [...new Set([...owners(before), ...owners(after)])],
      });
      if (action === 'deactivated') await signOutEverywhere(manager, this.audit, actor, after, 'deactivated', this.clock.now());
      return this.getWith(manager, id);
    });
  }

  /** For the CLI: an active administrator with a password, the platform's first account. */
  createWithPassword(actor: Actor, input: NewUser & { password: string }): Promise<UserListItem> {
    return inTransaction(this.dataSource, async (manager) => {
      await this.checkRoleAndLocalGovernment(manager, input.role, input.localGovernmentId ?? null);
      await this.checkEmailFree(manager, input.email);
      const user = await this.insert(manager, input, await hashPassword(input.password));
      await this.audit.record(manager, actor, { entityType: 'user', entityId: user.id, action: 'created', after: userSnapshot(user), ownerLocalGovernmentIds: owners(user) });
      return this.getWith(manager, user.id);
    });
  }

  /** Demo data: creates the user with a password unless the e-mail exists; returns whether it did. */
  async createIfMissing(manager: EntityManager, user: NewUser & { password: string }): Promise<boolean> {
    const exists = await manager.query(`SELECT 1 FROM app_user WHERE lower(email) = lower($1)`, [user.email]);
    if (exists.length > 0) return false;
    await this.insert(manager, user, await hashPassword(user.password));
    return true;
  }

  private async insert(manager: EntityManager, input: NewUser, passwordHash: string | null): Promise<User> {
    const [row] = await manager.query(
      `INSERT INTO app_user (email, display_name, password_hash, role, local_government_id, active) VALUES ($1, $2, $3, $4, $5, true) RETURNING id`,
      [input.email.trim(), input.displayName.trim(), passwordHash, input.role, input.role === 'municipal-officer' ? input.localGovernmentId : null],
    );
    return manager.findOneByOrFail(User, { id: row.id });
  }

  private async getWith(manager: EntityManager, id: number): Promise<UserListItem> {
    const [row] = await manager.query(`${USER_SELECT} WHERE u.id = $1`, [id]);
    if (!row) throw new NotFound();
    return toListItem(row);
  }

  private async checkEmailFree(manager: EntityManager, email: string) {
    const taken = await manager.query(`SELECT 1 FROM app_user WHERE lower(email) = lower($1)`, [email.trim()]);
    if (taken.length > 0) throw new ConflictException({ statusCode: 409, message: 'Er bestaat al een account met dit e-mailadres.', errors: { email: ['Er bestaat al een account met dit e-mailadres.'] } });
  }

  private async checkRoleAndLocalGovernment(manager: EntityManager, role: Role, localGovernmentId: number | null) {
    if (role === 'municipal-officer') {
      if (!localGovernmentId) throw new FieldErrors({ localGovernmentId: ['Kies het lokaal bestuur van deze medewerker.'] });
      const found = await manager.query(`SELECT 1 FROM local_government WHERE id = $1`, [localGovernmentId]);
      if (found.length === 0) throw new FieldErrors({ localGovernmentId: ['Dit lokaal bestuur bestaat niet.'] });
    } else if (localGovernmentId) {
      throw new FieldErrors({ localGovernmentId: ['Enkel een medewerker van een lokaal bestuur hoort bij een lokaal bestuur.'] });
    }
  }
}

function owners(user: User): number[] {
  return user.localGovernmentId ? [user.localGovernmentId] : [];
}

function toListItem(row: Record<string, unknown>): UserListItem {
  return {
    id: row.id as number,
    email: row.email as string,
    displayName: row.display_name as string,
    role: row.role as Role,
    localGovernmentId: (row.local_government_id as number | null) ?? null,
    active: row.active as boolean,
    createdAt: row.created_at as Date,
    version: row.version as number,
    localGovernmentName: (row.lg_name as string | null) ?? null,
  };
}
