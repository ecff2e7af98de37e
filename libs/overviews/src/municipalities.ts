/**
 * Overviews across years (docs/calls.md, municipal mergers): a year's figures shown with the local governments as they were (the
 * predecessors, as before the mergers of 2025), or mapped onto today's municipalities: a predecessor's figures count under
 * the municipality it is part of today (`overview_local_government_today` follows the successor chain to its end).
 */
export const MUNICIPALITIES_MODES = ['as-was', 'today'] as const;
export type MunicipalitiesMode = (typeof MUNICIPALITIES_MODES)[number];

/** Which members view the overview queries read: the members as they were, or mapped onto today's local governments. */
export function membersView(mode: MunicipalitiesMode): 'overview_applicant_member' | 'overview_applicant_member_today' {
  return mode === 'today' ? 'overview_applicant_member_today' : 'overview_applicant_member';
}

/**
 * The filter as an export names it: nothing as it was (so the exports of before stay as they were), `gemeenten=vandaag`
 * when mapped.
 */
export function municipalitiesFilterCells(mode: MunicipalitiesMode): string[] {
  return mode === 'today' ? ['gemeenten=vandaag'] : [];
}
