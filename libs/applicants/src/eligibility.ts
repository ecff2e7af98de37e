import { ApplicantKind } from './applicant.entities';

/** The per-call settings eligibility depends on. */
export interface EligibilitySettings {
  /** Eligible with MORE than this many residents of non-EU origin. */
  threshold: number;
  originDefinition: string;
  referenceYear: number;
}

/** A call as the applicants lib needs it. */
export interface CallSettings {
  id: number;
  yearNumber: number;
  nameNl: string;
  onlyExistingApplicants: boolean;
  /** With onlyExistingApplicants: the earlier project year whose applicants continue; null: the year before. */
  applicantsOfYear: number | null;
  settings: EligibilitySettings;
  /** The day (YYYY-MM-DD) whose local governments the call uses: its project start (docs/calls.md, municipal mergers). */
  referenceDate: string;
}

export interface Candidate {
  id: number;
  nameNl: string;
  kind: 'municipality' | 'vgc' | 'de-rand';
  facilityMunicipality: boolean;
  /** Residents of non-EU origin in the call's reference year and definition; null when not imported. */
  residents: number | null;
  regionId: number | null;
  regionNameNl: string | null;
  /** The other applicants of the same call this local government already takes part in. */
  otherApplicants: { nameNl: string; carriedOver: boolean }[];
}

export interface EligibilityQuestion {
  kind: ApplicantKind;
  lead: Candidate;
  /** Every participating local government, the lead included. */
  members: Candidate[];
  /** A cooperation carried over from an earlier project year keeps its members even if they are in another one (see docs/eligibility.md). */
  carriedOver: boolean;
}

export interface EligibilityVerdict {
  eligible: boolean;
  /** The sum of the known figures; when one is unknown the verdict says so and is not eligible. */
  totalResidents: number;
  /** Plain Dutch, in the order the rules were checked. */
  reasons: string[];
}

const number = new Intl.NumberFormat('nl-BE');

/** Decides whether an applicant may apply in a call, and says why in Dutch. Pure: no I/O, no clock. */
export function assessEligibility(question: EligibilityQuestion, settings: EligibilitySettings): EligibilityVerdict {
  const reasons: string[] = [];
  const refuse = (reason: string) => (reasons.push(reason), false);
  const counted = question.kind === 'de-rand' ? question.members.filter((m) => m.facilityMunicipality) : question.members;
  const totalResidents = counted.reduce((sum, m) => sum + (m.residents ?? 0), 0);

  let eligible = shapeIsValid(question, refuse);
  eligible = noOtherCooperation(question, refuse) && eligible;
  if (question.kind === 'vgc') {
    reasons.push('De Vlaamse Gemeenschapscommissie dient in als lokaal bestuur voor Brussel.');
    return { eligible, totalResidents: 0, reasons };
  }
  if (question.kind === 'cooperation') eligible = oneRegion(question.members, refuse) && eligible;
  // An unknown figure is not zero: without it there is no total to weigh, nor advice to give.
  if (!statisticsKnown(counted, settings, refuse)) return { eligible: false, totalResidents, reasons };

  const enough = totalResidents > settings.threshold;
  const origin = `${settings.originDefinition}-herkomst (${settings.referenceYear})`;
  const threshold = `de drempel is meer dan ${number.format(settings.threshold)}`;
  reasons.push(
    question.kind === 'alone'
      ? `${question.lead.nameNl} heeft ${number.format(totalResidents)} inwoners van ${origin}; ${threshold}.`
      : `Samen ${number.format(totalResidents)} inwoners van ${origin}; ${threshold}.`,
  );
  if (!enough && question.kind === 'alone') reasons.push(cooperationAdvice(question.lead));
  return { eligible: eligible && enough, totalResidents, reasons };
}

function shapeIsValid(question: EligibilityQuestion, refuse: (reason: string) => boolean): boolean {
  const { kind, lead, members } = question;
  if (!members.some((m) => m.id === lead.id)) return refuse(`De trekker ${lead.nameNl} moet zelf deelnemen.`);
  const others = members.filter((m) => m.id !== lead.id);
  switch (kind) {
    case 'alone':
      if (lead.kind !== 'municipality') return refuse(`${lead.nameNl} is geen gemeente.`);
      return others.length === 0 || refuse('Wie alleen indient, heeft geen andere deelnemers.');
    case 'cooperation':
      if (members.some((m) => m.kind !== 'municipality')) return refuse('Een samenwerkingsverband bestaat enkel uit gemeenten.');
      return others.length > 0 || refuse('Een samenwerkingsverband heeft minstens twee gemeenten.');
    case 'vgc':
      return (lead.kind === 'vgc' && others.length === 0) || refuse('De VGC dient alleen in, zonder andere deelnemers.');
    case 'de-rand': {
      if (lead.kind !== 'de-rand') return refuse('Enkel vzw De Rand is trekker van deze aanvraag.');
      const strangers = others.filter((m) => !m.facilityMunicipality);
      return strangers.length === 0 || refuse(`${strangers.map((m) => m.nameNl).join(', ')}: geen faciliteitengemeente van de Vlaamse Rand.`);
    }
  }
}

function noOtherCooperation(question: EligibilityQuestion, refuse: (reason: string) => boolean): boolean {
  if (question.carriedOver) return true;
  let ok = true;
  for (const member of question.members) {
    const other = member.otherApplicants[0];
    if (other) ok = refuse(`${member.nameNl} neemt in dit projectjaar al deel aan "${other.nameNl}".`);
  }
  return ok;
}

function oneRegion(members: Candidate[], refuse: (reason: string) => boolean): boolean {
  const unknown = members.filter((m) => m.regionId === null);
  if (unknown.length > 0) return refuse(`Geen referentieregio gekend voor ${unknown.map((m) => m.nameNl).join(', ')}.`);
  const regions = [...new Map(members.map((m) => [m.regionId, m.regionNameNl])).values()];
  if (regions.length === 1) return true;
  const byRegion = regions.map(
    (name) =>
      `${name}: ${members
        .filter((m) => m.regionNameNl === name)
        .map((m) => m.nameNl)
        .join(', ')}`,
  );
  return refuse(`De leden liggen in ${regions.length} referentieregio's (${byRegion.join('; ')}); een samenwerkingsverband ligt binnen één referentieregio.`);
}

function statisticsKnown(members: Candidate[], settings: EligibilitySettings, refuse: (reason: string) => boolean): boolean {
  const missing = members.filter((m) => m.residents === null);
  return (
    missing.length === 0 ||
    refuse(
      `Het aantal inwoners van ${settings.originDefinition}-herkomst in ${settings.referenceYear} is niet gekend voor ${missing.map((m) => m.nameNl).join(', ')}: ` +
        'importeer die statistieken (zie docs/imports.md) of vraag ABB om ze in te laden. Tot dan kan niet beoordeeld worden of de drempel gehaald wordt.',
    )
  );
}

function cooperationAdvice(lead: Candidate): string {
  if (lead.regionNameNl === null) {
    return `${lead.nameNl} hoort nog bij geen gekende referentieregio; een samenwerkingsverband ligt binnen één referentieregio. Vraag ABB om de referentieregio's in te laden.`;
  }
  return `Dien samen met andere lokale besturen uit de referentieregio ${lead.regionNameNl} in als samenwerkingsverband.`;
}
