import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, changeVersioned, VersionedRecord } from '@ps/audit';
import { BusyConflict, inTransaction } from '@ps/database';
import { OrganisationReadModel } from '@ps/organisations';
import { actorFor } from './authentication.service';
import { SignedInUser } from './signed-in-user';
import { ClaimsRefusal, mapClaims, Organisation, ProviderPerson } from './provider-claims';
import { Role } from './roles';
import { User, userSnapshot } from './user.entity';
import { ProviderLinkRow, UsersRepository } from './users.repository';

/** Why a person the provider vouched for still cannot sign in; each has a Dutch page saying whom to ask. */
export type ProviderRefusal =
  | ClaimsRefusal
  | 'organisation-unknown'
  | 'account-inactive'
  /** An account with this address belongs to another organisation (or to the platform administrator): never linked. */
  | 'email-other-organisation'
  /** An account with this address is linked to another person at the provider. */
  | 'email-linked-elsewhere';

export type ProviderSignInOutcome = { user: SignedInUser; created: boolean } | { refused: ProviderRefusal; organisation: string | null };

/**
 * Sign-in through the identity provider (docs/security.md): the account linked to the person, else the account with the
 * same verified address in the same organisation (linked now), else a new account. Role, local government and name
 * follow the provider at every sign-in; every change is audited.
 */
@Injectable()
export class ProviderSignInService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly organisations: OrganisationReadModel,
    private readonly audit: AuditService,
  ) {}

  signIn(issuer: string, claims: Record<string, unknown>): Promise<ProviderSignInOutcome> {
    const mapped = mapClaims(claims);
    if ('refused' in mapped) return Promise.resolve(mapped);
    // Two first sign-ins of one person at once: one creates the account, the other (a unique violation) finds it on its second try.
    return this.signInOnce(issuer, mapped.person).catch((error) => {
      if (error instanceof BusyConflict) return this.signInOnce(issuer, mapped.person);
      throw error;
    });
  }

  private signInOnce(issuer: string, person: ProviderPerson): Promise<ProviderSignInOutcome> {
    const code = organisationCode(person.organisation);
    return inTransaction(this.dataSource, async (manager) => {
      const localGovernmentId = person.organisation.kind === 'local-government' ? await this.localGovernmentOf(manager, person.organisation.kboNumber) : null;
      if (localGovernmentId === undefined) return { refused: 'organisation-unknown', organisation: code };
      const linked = await this.users.byProviderSubject(manager, issuer, person.subject);
      if (linked) {
        if (!linked.active) return { refused: 'account-inactive', organisation: code };
        return { user: await this.follow(manager, linked, person, localGovernmentId, 'updated-by-identity-provider'), created: false };
      }
      const sameAddress = await this.users.byEmailWithLink(manager, person.email);
      if (sameAddress) {
        if (sameAddress.provider_subject !== null) return { refused: 'email-linked-elsewhere', organisation: code };
        if (!sameOrganisation(sameAddress, person.organisation, localGovernmentId)) return { refused: 'email-other-organisation', organisation: code };
        if (!sameAddress.active) return { refused: 'account-inactive', organisation: code };
        const link = { provider_issuer: issuer, provider_subject: person.subject };
        return { user: await this.follow(manager, sameAddress, person, localGovernmentId, 'linked-to-identity-provider', link), created: false };
      }
      return { user: await this.create(manager, issuer, person, localGovernmentId), created: true };
    });
  }

  /** undefined when the platform does not know the local government with this KBO number. */
  private async localGovernmentOf(manager: EntityManager, kboNumber: string): Promise<number | undefined> {
    return (await this.organisations.byKboNumber(manager, kboNumber))?.id;
  }

  private async create(manager: EntityManager, issuer: string, person: ProviderPerson, localGovernmentId: number | null): Promise<SignedInUser> {
    const id = await this.users.insertFromProvider(manager, { ...person, localGovernmentId, issuer });
    const user = (await this.users.find(manager, id))!;
    const signedIn = toSignedIn(user);
    await this.audit.record(manager, viaProvider(signedIn), {
      entityType: 'user',
      entityId: id,
      action: 'created-by-identity-provider',
      after: userSnapshot(user),
      ownerLocalGovernmentIds: localGovernmentId ? [localGovernmentId] : [],
    });
    return signedIn;
  }

  /** Brings the account in line with the provider (and links it when asked); writes and audits only what changed. */
  private async follow(
    manager: EntityManager,
    account: ProviderLinkRow,
    person: ProviderPerson,
    localGovernmentId: number | null,
    action: string,
    link: Record<string, string> = {},
  ): Promise<SignedInUser> {
    const wanted: Record<string, unknown> = { display_name: person.displayName, role: person.role, local_government_id: localGovernmentId };
    const current: Record<string, unknown> = { display_name: account.display_name, role: account.role, local_government_id: account.local_government_id };
    const columns = { ...Object.fromEntries(Object.entries(wanted).filter(([key, value]) => current[key] !== value)), ...link };
    const actor = viaProvider(toSignedIn({ ...account, displayName: person.displayName, localGovernmentId, role: person.role }));
    const { after } = await changeVersioned(manager, this.audit, actor, USER_RECORD(this.users), account.id, account.version, () => columns, action);
    return toSignedIn(after);
  }
}

/** The user as changeVersioned reads and audits it (the same as the users' own edits). */
const USER_RECORD = (users: UsersRepository): VersionedRecord<User> => ({
  table: 'app_user',
  entityType: 'user',
  what: 'Deze gebruiker',
  load: (manager, id) => users.find(manager, id),
  snapshot: userSnapshot,
  owners: (user) => (user.localGovernmentId ? [user.localGovernmentId] : []),
});

/** An address is linked only within its own organisation: the same local government, or ABB, or VVSG. */
function sameOrganisation(account: ProviderLinkRow, organisation: Organisation, localGovernmentId: number | null): boolean {
  const abb: Role[] = ['abb-reviewer', 'abb-administrator'];
  switch (organisation.kind) {
    case 'local-government':
      return account.role === 'municipal-officer' && account.local_government_id === localGovernmentId;
    case 'ABB':
      return abb.includes(account.role);
    case 'VVSG':
      return account.role === 'vvsg-analyst';
  }
}

function organisationCode(organisation: Organisation): string {
  return organisation.kind === 'local-government' ? organisation.kboNumber : organisation.kind;
}

function toSignedIn(user: { id: number; email: string; displayName?: string; display_name?: string; role: Role; localGovernmentId?: number | null }) {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName ?? user.display_name ?? user.email,
    role: user.role,
    localGovernmentId: user.localGovernmentId ?? null,
  };
}

function viaProvider(user: SignedInUser) {
  const actor = actorFor(user, 'session');
  return { ...actor, label: `${actor.label} via ACM/IDM` };
}
