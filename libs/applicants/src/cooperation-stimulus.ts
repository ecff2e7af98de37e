/**
 * The cooperation stimulus (docs/eligibility.md): granted to a cooperation whose lead alone has more than the call's
 * threshold of residents of the call's origin and cooperates with smaller local governments (every other confirmed
 * member has fewer residents than the lead; an unknown figure is not smaller), or to a continuation of an earlier
 * applicant, De Rand included, that took new local governments aboard. Answers whether it applies, and why, in Dutch.
 */
export interface CooperationStimulusFacts {
  applicant: { nameNl: string; kind: string; leadLocalGovernmentId: number; continuation: boolean };
  call: { eligibilityThreshold: number; originDefinition: string; statisticsReferenceYear: number };
  /** The confirmed members with their residents of the call's origin in its reference year (null: unknown). */
  members: { id: number; nameNl: string; residents: number | null }[];
  /** For a continuation: the names of the confirmed members the earlier applicant did not have. */
  newcomers: string[];
}

export interface CooperationStimulusVerdict {
  allowed: boolean;
  reason: string;
}

const RESIDENTS = new Intl.NumberFormat('nl-BE');
const figure = (n: number | null) => (n === null ? 'niet gekend' : RESIDENTS.format(n));

export function cooperationStimulus({ applicant, call, members, newcomers }: CooperationStimulusFacts): CooperationStimulusVerdict {
  const rule =
    `De samenwerkingsstimulans is voor een trekker met meer dan ${figure(call.eligibilityThreshold)} inwoners van ${call.originDefinition}-herkomst (${call.statisticsReferenceYear}) ` +
    'die samenwerkt met kleinere lokale besturen uit de referentieregio, of voor een voortzetting die nieuwe lokale besturen aan boord neemt.';
  if (applicant.continuation && (applicant.kind === 'cooperation' || applicant.kind === 'de-rand') && newcomers.length > 0) {
    return { allowed: true, reason: `Deze voortzetting neemt nieuwe lokale besturen aan boord: ${newcomers.join(', ')}.` };
  }
  if (applicant.kind !== 'cooperation') {
    return {
      allowed: false,
      reason: `${rule} ${applicant.nameNl} ${applicant.kind === 'de-rand' ? 'neemt geen nieuwe lokale besturen aan boord' : 'dient alleen in'}.`,
    };
  }
  const lead = members.find((m) => m.id === applicant.leadLocalGovernmentId);
  if (!lead || lead.residents === null) return { allowed: false, reason: `${rule} Het cijfer van de trekker is niet gekend.` };
  const leadResidents = lead.residents;
  if (leadResidents <= call.eligibilityThreshold) return { allowed: false, reason: `${rule} Trekker ${lead.nameNl} heeft er ${figure(leadResidents)}.` };
  const notSmaller = members.filter((m) => m !== lead && (m.residents === null || m.residents >= leadResidents));
  if (notSmaller.length > 0) {
    return {
      allowed: false,
      reason: `${rule} Niet kleiner dan trekker ${lead.nameNl} (${figure(leadResidents)}): ${notSmaller.map((m) => `${m.nameNl} (${figure(m.residents)})`).join(', ')}.`,
    };
  }
  return {
    allowed: true,
    reason: `Trekker ${lead.nameNl} heeft ${figure(leadResidents)} inwoners van ${call.originDefinition}-herkomst en werkt samen met kleinere lokale besturen.`,
  };
}
