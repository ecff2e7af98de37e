import { mapClaims, organisationOf, ORGANISATION_CLAIM, ROLE_CLAIM } from './provider-claims';

const officer = {
  sub: 'vo-1',
  email: 'an@gent.be',
  email_verified: true,
  given_name: 'An',
  family_name: 'Peeters',
  [ORGANISATION_CLAIM]: '0207.451.227',
  [ROLE_CLAIM]: ['medewerker:0207451227'],
};

describe('mapping the identity provider’s claims to a person', () => {
  it('reads the organisation code: ABB, VVSG or a KBO number with or without dots', () => {
    expect(organisationOf('abb')).toEqual({ kind: 'ABB' });
    expect(organisationOf(' VVSG ')).toEqual({ kind: 'VVSG' });
    expect(organisationOf('0207.451.227')).toEqual({ kind: 'local-government', kboNumber: '0207451227' });
    expect(organisationOf('BE 0207 451 227')).toEqual({ kind: 'local-government', kboNumber: '0207451227' });
    for (const bad of ['207451227', '2207451227', 'OVO000001', '', null, 42]) expect(organisationOf(bad)).toBeNull();
  });

  it('maps an officer of a local government with name, verified address and role', () => {
    expect(mapClaims(officer)).toEqual({
      person: {
        subject: 'vo-1',
        email: 'an@gent.be',
        displayName: 'An Peeters',
        organisation: { kind: 'local-government', kboNumber: '0207451227' },
        role: 'municipal-officer',
      },
    });
  });

  it('maps ABB and VVSG roles, the broadest role first, and ignores roles for another organisation', () => {
    const abb = { ...officer, name: 'Bart Claes', [ORGANISATION_CLAIM]: 'ABB', [ROLE_CLAIM]: ['dossierbehandelaar', 'beheerder:ABB', 'medewerker'] };
    expect(mapClaims(abb)).toMatchObject({ person: { displayName: 'Bart Claes', organisation: { kind: 'ABB' }, role: 'abb-administrator' } });
    expect(mapClaims({ ...abb, [ROLE_CLAIM]: 'Dossierbehandelaar' })).toMatchObject({ person: { role: 'abb-reviewer' } });
    expect(mapClaims({ ...officer, [ORGANISATION_CLAIM]: 'VVSG', [ROLE_CLAIM]: 'analist' })).toMatchObject({ person: { role: 'vvsg-analyst' } });
    expect(mapClaims({ ...officer, [ROLE_CLAIM]: ['medewerker:0207451228'] })).toEqual({ refused: 'role-missing', organisation: '0207.451.227' });
  });

  it('refuses a role that does not belong to the organisation, or none at all', () => {
    expect(mapClaims({ ...officer, [ROLE_CLAIM]: 'beheerder' })).toEqual({ refused: 'role-missing', organisation: '0207.451.227' });
    expect(mapClaims({ ...officer, [ORGANISATION_CLAIM]: 'ABB', [ROLE_CLAIM]: 'medewerker' })).toEqual({ refused: 'role-missing', organisation: 'ABB' });
    expect(mapClaims({ ...officer, [ROLE_CLAIM]: undefined })).toEqual({ refused: 'role-missing', organisation: '0207.451.227' });
    expect(mapClaims({ ...officer, [ROLE_CLAIM]: ['platformbeheerder', 42] })).toEqual({ refused: 'role-missing', organisation: '0207.451.227' });
  });

  it('refuses an unverified or missing e-mail address, and a missing organisation', () => {
    expect(mapClaims({ ...officer, email_verified: false })).toEqual({ refused: 'email-unverified', organisation: '0207.451.227' });
    expect(mapClaims({ ...officer, email_verified: 'true' })).toEqual({ refused: 'email-unverified', organisation: '0207.451.227' });
    expect(mapClaims({ ...officer, email: undefined })).toEqual({ refused: 'email-unverified', organisation: '0207.451.227' });
    expect(mapClaims({ ...officer, [ORGANISATION_CLAIM]: undefined })).toEqual({ refused: 'organisation-missing', organisation: null });
    expect(mapClaims({ ...officer, [ORGANISATION_CLAIM]: 'OVO000001' })).toEqual({ refused: 'organisation-missing', organisation: 'OVO000001' });
  });

  it('falls back on the e-mail address for a person without a name', () => {
    expect(mapClaims({ ...officer, given_name: undefined, family_name: undefined })).toMatchObject({ person: { displayName: 'an@gent.be' } });
  });
});
