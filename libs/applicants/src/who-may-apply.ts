/** Who may apply to a call (docs/calls.md): every eligible local government, or only the applicants of a named earlier call. */
export interface WhoMayApply {
  yearNumber: number;
  nameNl: string;
  onlyExistingApplicants: boolean;
  /** The earlier project year whose applicants continue; null: the year before. */
  applicantsOfYear: number | null;
}

/** The earlier applicant a registration continues, as far as this rule needs it. */
export interface EarlierApplicant {
  yearNumber: number;
  leadLocalGovernmentId: number;
  /** The local government the earlier lead merged into, if it did. */
  leadSuccessorId: number | null;
}

/** The project year whose applicants alone may register, or null when every eligible local government may. */
export function onlyApplicantsOf(call: WhoMayApply): number | null {
  return call.onlyExistingApplicants ? (call.applicantsOfYear ?? call.yearNumber - 1) : null;
}

/**
 * The Dutch refusal of a registration that continues `earlier` (undefined: a new applicant, null: no such applicant), or
 * null when allowed. The lead stays the same, or becomes the local government the earlier lead merged into. New members
 * join only through such a continued applicant.
 */
export function refusalToRegister(call: WhoMayApply, leadLocalGovernmentId: number, earlier: EarlierApplicant | null | undefined): string | null {
  const year = onlyApplicantsOf(call);
  if (earlier === undefined)
    return year === null ? null : `In ${call.nameNl} dienen enkel projectindieners van projectjaar ${year} in; nieuwe lokale besturen sluiten bij hen aan.`;
  const sameLead = earlier !== null && (earlier.leadLocalGovernmentId === leadLocalGovernmentId || earlier.leadSuccessorId === leadLocalGovernmentId);
  if (year !== null && (!sameLead || earlier!.yearNumber !== year))
    return `Kies een aanvraag van projectjaar ${year} met dezelfde trekker: in ${call.nameNl} dienen enkel projectindieners van projectjaar ${year} in.`;
  if (!sameLead || earlier!.yearNumber >= call.yearNumber) return 'Kies een aanvraag van een vorig projectjaar met dezelfde trekker.';
  return null;
}
