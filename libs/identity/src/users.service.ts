import { OrganisationReadModel } from '@ps/organisations';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@ps/database';
import { AuditService, changeVersioned, VersionedRecord } from '@ps/audit';
import { PlatformConfig } from '@ps/config';
import { Clock, Conflict, FieldErrors, NotFound } from '@ps/kernel';
import { MailDelivery, secretLink } from '@ps/notifications';
import { Actor } from './actor';
import { hashPassword } from './passwords';
import { Role, ROLE_LABELS_NL } from './roles';
import { newSecret } from './secrets';
import { SignOutEverywhere } from './sign-out-everywhere';
import { TokenCache } from './token-cache';
import { User, userSnapshot } from './user.entity';
import { UserRow, UsersRepository } from './users.repository';

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

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly signOut: SignOutEverywhere,
    private readonly audit: AuditService,
    private readonly mail: MailDelivery,
    private readonly config: PlatformConfig,
    private readonly clock: Clock,
    private readonly organisations: OrganisationReadModel,
    private readonly tokenCache: TokenCache,
  ) {}

  async list(): Promise<UserListItem[]> {
    return this.withNames(this.dataSource.manager, await this.users.list(this.dataSource.manager));
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
      await this.audit.record(manager, actor, {
        entityType: 'user',
        entityId: user.id,
        action: 'created',
        after: userSnapshot(user),
        ownerLocalGovernmentIds: owners(user),
      });
      const { secret, hash } = newSecret('ps_welcome');
      const expires = new Date(this.clock.now().getTime() + WELCOME_LINK_DAYS * 86_400_000);
      await this.users.insertPasswordReset(manager, user.id, hash, expires);
      const created = await this.getWith(manager, user.id);
      // Last: once the mail server took the link, nothing else of this transaction should fail.
      await this.mail.deliver(manager, {
        to: [user.email],
        subject: 'Uw account voor Plan Samenleven',
        text: [
          `Beste ${user.displayName},\n\nEr is een account voor u aangemaakt als ${ROLE_LABELS_NL[user.role]}.\nKies uw wachtwoord binnen ${WELCOME_LINK_DAYS} dagen via `,
          secretLink(`${this.config.publicUrl}/wachtwoord-herstellen?token=${secret}`),
          '\n\nAgentschap Binnenlands Bestuur',
        ],
      });
      return created;
    });
  }

  /** Role, local government, name and status; refused with 409 when someone changed the user meanwhile. */
  update(actor: Actor, id: number, change: UserChange): Promise<UserListItem> {
    return inTransaction(this.dataSource, async (manager) => {
      // Checked before the version, as ever: a missing user is 404, an invalid change 422, then a stale one 409.
      const current = await this.users.find(manager, id);
      if (!current) throw new NotFound();
      await this.checkRoleAndLocalGovernment(manager, change.role, change.localGovernmentId);
      if (actor.userId === id && (!change.active || change.role !== current.role)) {
        throw new FieldErrors({ role: ['U kunt uw eigen rol of status niet wijzigen; vraag het aan een andere beheerder.'] });
      }
      // The change only succeeds on the version the client saw, so `current` is the `before` it is audited against.
      const action = current.active && !change.active ? 'deactivated' : !current.active && change.active ? 'reactivated' : 'updated';
      const { after } = await changeVersioned(
        manager,
        this.audit,
        actor,
        this.record,
        id,
        change.version,
        // Every save is written and audited, also one that changes nothing (the version still moves on).
        () => ({ display_name: change.displayName, role: change.role, local_government_id: change.localGovernmentId, active: change.active }),
        action,
      );
      // Tokens carry their user's role and local government: every process forgets the ones it cached.
      this.tokenCache.forgetAll(manager);
      if (action === 'deactivated') await this.signOut.run(manager, actor, after, 'deactivated', this.clock.now());
      return this.getWith(manager, id);
    });
  }

  /** How a user is changed by `changeVersioned`: table, audit entity, refusal and owners. */
  private readonly record: VersionedRecord<User> = {
    table: 'app_user',
    entityType: 'user',
    what: 'Deze gebruiker',
    load: (manager, id) => this.users.find(manager, id),
    snapshot: userSnapshot,
    owners,
  };

  /** For the CLI: an active administrator with a password, the platform's first account. */
  createWithPassword(actor: Actor, input: NewUser & { password: string }): Promise<UserListItem> {
    return inTransaction(this.dataSource, async (manager) => {
      await this.checkRoleAndLocalGovernment(manager, input.role, input.localGovernmentId ?? null);
      await this.checkEmailFree(manager, input.email);
      const user = await this.insert(manager, input, await hashPassword(input.password));
      await this.audit.record(manager, actor, {
        entityType: 'user',
        entityId: user.id,
        action: 'created',
        after: userSnapshot(user),
        ownerLocalGovernmentIds: owners(user),
      });
      return this.getWith(manager, user.id);
    });
  }

  /** Demo data: creates the user with a password unless the e-mail exists; returns whether it did. */
  async createIfMissing(manager: EntityManager, user: NewUser & { password: string }): Promise<boolean> {
    if (await this.users.emailTaken(manager, user.email)) return false;
    await this.insert(manager, user, await hashPassword(user.password));
    return true;
  }

  private async insert(manager: EntityManager, input: NewUser, passwordHash: string | null): Promise<User> {
    const id = await this.users.insert(manager, {
      email: input.email.trim(),
      displayName: input.displayName.trim(),
      passwordHash,
      role: input.role,
      localGovernmentId: input.role === 'municipal-officer' ? (input.localGovernmentId ?? null) : null,
    });
    return (await this.users.find(manager, id))!;
  }

  private async getWith(manager: EntityManager, id: number): Promise<UserListItem> {
    const row = await this.users.listed(manager, id);
    if (!row) throw new NotFound();
    return (await this.withNames(manager, [row]))[0];
  }

  /** The users as listed, with the name of their local government (read from the organisations lib). */
  private async withNames(manager: EntityManager, rows: UserRow[]): Promise<UserListItem[]> {
    const ids = [...new Set(rows.map((row) => row.local_government_id).filter((id): id is number => id !== null))];
    const names = new Map((await this.organisations.names(manager, ids)).map((lg) => [lg.id, lg.nameNl]));
    return rows.map((row) => toListItem(row, row.local_government_id === null ? null : (names.get(row.local_government_id) ?? null)));
  }

  private async checkEmailFree(manager: EntityManager, email: string) {
    if (await this.users.emailTaken(manager, email.trim()))
      throw new Conflict('Er bestaat al een account met dit e-mailadres.', { email: ['Er bestaat al een account met dit e-mailadres.'] });
  }

  private async checkRoleAndLocalGovernment(manager: EntityManager, role: Role, localGovernmentId: number | null) {
    if (role === 'municipal-officer') {
      if (!localGovernmentId) throw new FieldErrors({ localGovernmentId: ['Kies het lokaal bestuur van deze medewerker.'] });
      if ((await this.organisations.names(manager, [localGovernmentId])).length === 0)
        throw new FieldErrors({ localGovernmentId: ['Dit lokaal bestuur bestaat niet.'] });
    } else if (localGovernmentId) {
      throw new FieldErrors({ localGovernmentId: ['Enkel een medewerker van een lokaal bestuur hoort bij een lokaal bestuur.'] });
    }
  }
}

function owners(user: User): number[] {
  return user.localGovernmentId ? [user.localGovernmentId] : [];
}

function toListItem(row: UserRow, localGovernmentName: string | null): UserListItem {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    localGovernmentId: row.local_government_id ?? null,
    active: row.active,
    createdAt: row.created_at,
    version: row.version,
    localGovernmentName,
  };
}
