import { Role } from './roles';

/**
 * How the identity provider's claims (ACM/IDM, OpenID Connect) map to a person of the platform (docs/security.md,
 * "Sign-in through the identity provider"). The claim names are the ones agreed with ACM/IDM when the platform is
 * registered there: the organisation in `vo_orgcode`, the roles for this platform in `dv_plansamenleven_rol_3d`.
 */
export const ORGANISATION_CLAIM = 'vo_orgcode';
export const ROLE_CLAIM = 'dv_plansamenleven_rol_3d';

/** The role names in the role claim, and the platform role each gives; the platform administrator is never given by the provider. */
export const PROVIDER_ROLES: Record<string, Exclude<Role, 'platform-administrator'>> = {
  medewerker: 'municipal-officer',
  dossierbehandelaar: 'abb-reviewer',
  beheerder: 'abb-administrator',
  analist: 'vvsg-analyst',
};

/** Which organisation each role belongs to. */
const ROLE_ORGANISATION: Record<Exclude<Role, 'platform-administrator'>, Organisation['kind']> = {
  'municipal-officer': 'local-government',
  'abb-reviewer': 'ABB',
  'abb-administrator': 'ABB',
  'vvsg-analyst': 'VVSG',
};

/** When a person holds more than one fitting role, the broadest wins. */
const PRECEDENCE: Role[] = ['abb-administrator', 'abb-reviewer', 'vvsg-analyst', 'municipal-officer'];

export type Organisation = { kind: 'local-government'; kboNumber: string } | { kind: 'ABB' } | { kind: 'VVSG' };

export interface ProviderPerson {
  subject: string;
  email: string;
  displayName: string;
  organisation: Organisation;
  role: Exclude<Role, 'platform-administrator'>;
}

/** Why a person cannot be mapped; each has its own Dutch page saying whom to ask. */
export type ClaimsRefusal = 'email-unverified' | 'organisation-missing' | 'role-missing';

export type MappedClaims = { person: ProviderPerson } | { refused: ClaimsRefusal; organisation: string | null };

/** The organisation code: ABB, VVSG or a KBO number (ten digits, dots and spaces allowed, as in 0207.451.227). */
export function organisationOf(code: unknown): Organisation | null {
  if (typeof code !== 'string') return null;
  const trimmed = code.trim().toUpperCase();
  if (trimmed === 'ABB' || trimmed === 'VVSG') return { kind: trimmed };
  const digits = trimmed.replace(/^BE/, '').replace(/[.\s]/g, '');
  return /^[01]\d{9}$/.test(digits) ? { kind: 'local-government', kboNumber: digits } : null;
}

/**
 * Maps the claims of a verified ID token (and the user info) to a person, or says why not. The role claim holds one or more
 * values `role` or `role:organisation code` (ACM/IDM's roles per organisation); a role for another organisation is ignored.
 */
export function mapClaims(claims: Record<string, unknown>): MappedClaims {
  const organisationCode = typeof claims[ORGANISATION_CLAIM] === 'string' ? (claims[ORGANISATION_CLAIM] as string).trim() : null;
  const email = typeof claims.email === 'string' ? claims.email.trim() : '';
  if (claims.email_verified !== true || !/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254)
    return { refused: 'email-unverified', organisation: organisationCode };
  const organisation = organisationOf(organisationCode);
  if (!organisation) return { refused: 'organisation-missing', organisation: organisationCode };
  const values = Array.isArray(claims[ROLE_CLAIM]) ? (claims[ROLE_CLAIM] as unknown[]) : [claims[ROLE_CLAIM]];
  const roles = values.flatMap((value) => {
    if (typeof value !== 'string') return [];
    const [name, scope] = value.split(':', 2);
    const role = PROVIDER_ROLES[name.trim().toLowerCase()];
    if (!role || ROLE_ORGANISATION[role] !== organisation.kind) return [];
    return scope === undefined || sameOrganisation(organisationOf(scope), organisation) ? [role] : [];
  });
  const role = PRECEDENCE.find((candidate) => roles.includes(candidate as ProviderPerson['role'])) as ProviderPerson['role'] | undefined;
  if (!role) return { refused: 'role-missing', organisation: organisationCode };
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  return { person: { subject, email, displayName: displayNameOf(claims, email), organisation, role } };
}

function sameOrganisation(a: Organisation | null, b: Organisation): boolean {
  return a !== null && a.kind === b.kind && (a.kind !== 'local-government' || (b.kind === 'local-government' && a.kboNumber === b.kboNumber));
}

function displayNameOf(claims: Record<string, unknown>, email: string): string {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const name = text(claims.name) || [text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' ');
  return (name || email).slice(0, 200);
}
