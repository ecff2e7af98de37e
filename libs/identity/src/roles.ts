/** The roles of the platform. What each may do is decided in one permission list (accounts issue). */
export const ROLES = ['municipal-officer', 'abb-reviewer', 'abb-administrator', 'vvsg-analyst', 'platform-administrator'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS_NL: Record<Role, string> = {
  'municipal-officer': 'Medewerker lokaal bestuur',
  'abb-reviewer': 'Dossierbehandelaar ABB',
  'abb-administrator': 'Beheerder ABB',
  'vvsg-analyst': 'Analist VVSG',
  'platform-administrator': 'Platformbeheerder',
};
