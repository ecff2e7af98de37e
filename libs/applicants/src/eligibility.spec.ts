import fc from 'fast-check';
import { assessEligibility, Candidate, EligibilityQuestion } from './eligibility';

const settings = { threshold: 7500, originDefinition: 'niet-EU-14', referenceYear: 2022 };
let nextId = 1;
function municipality(nameNl: string, residents: number | null, region = 1, extra: Partial<Candidate> = {}): Candidate {
  return {
    id: nextId++,
    nameNl,
    kind: 'municipality',
    facilityMunicipality: false,
    residents,
    regionId: region,
    regionNameNl: `Regio ${region}`,
    otherApplicants: [],
    ...extra,
  };
}
const alone = (m: Candidate): EligibilityQuestion => ({ kind: 'alone', lead: m, members: [m], carriedOver: false });
const cooperation = (members: Candidate[], carriedOver = false): EligibilityQuestion => ({ kind: 'cooperation', lead: members[0], members, carriedOver });

describe('eligibility', () => {
  it('applies "more than 7,500" to a municipality alone: 7,500 refused, 7,501 accepted', () => {
    const refused = assessEligibility(alone(municipality('Lier', 7500)), settings);
    expect(refused.eligible).toBe(false);
    expect(refused.reasons).toEqual([
      'Lier heeft 7.500 inwoners van niet-EU-14-herkomst (2022); de drempel is meer dan 7.500.',
      'Dien samen met andere lokale besturen uit de referentieregio Regio 1 in als samenwerkingsverband.',
    ]);
    expect(assessEligibility(alone(municipality('Lier', 7501)), settings)).toEqual({
      eligible: true,
      totalResidents: 7501,
      reasons: ['Lier heeft 7.501 inwoners van niet-EU-14-herkomst (2022); de drempel is meer dan 7.500.'],
    });
  });

  it('sums a cooperation and applies the same boundary', () => {
    const below = assessEligibility(cooperation([municipality('Lier', 4000), municipality('Duffel', 3320)]), settings);
    expect(below).toEqual({
      eligible: false,
      totalResidents: 7320,
      reasons: ['Samen 7.320 inwoners van niet-EU-14-herkomst (2022); de drempel is meer dan 7.500.'],
    });
    expect(assessEligibility(cooperation([municipality('Lier', 4000), municipality('Duffel', 3500)]), settings).eligible).toBe(false);
    expect(assessEligibility(cooperation([municipality('Lier', 4000), municipality('Duffel', 3501)]), settings).eligible).toBe(true);
  });

  it('refuses a cooperation across two reference regions, naming them', () => {
    const verdict = assessEligibility(cooperation([municipality('Lier', 6000, 1), municipality('Geel', 6000, 2)]), settings);
    expect(verdict.eligible).toBe(false);
    expect(verdict.reasons[0]).toBe(
      "De leden liggen in 2 referentieregio's (Regio 1: Lier; Regio 2: Geel); een samenwerkingsverband ligt binnen één referentieregio.",
    );
  });

  it('puts a local government in at most one cooperation per call, except for carried-over cooperations', () => {
    const duffel = municipality('Duffel', 5000, 1, { otherApplicants: [{ nameNl: 'Samenwerking Rivierenland', carriedOver: false }] });
    const fresh = assessEligibility(cooperation([municipality('Lier', 5000), duffel]), settings);
    expect(fresh.eligible).toBe(false);
    expect(fresh.reasons).toContain('Duffel neemt in dit projectjaar al deel aan "Samenwerking Rivierenland".');
    expect(assessEligibility(cooperation([municipality('Lier', 5000), duffel], true), settings).eligible).toBe(true);
    // The exemption keeps old cooperations together; it does not let their members join a new one.
    const inCarriedOver = municipality('Berlaar', 5000, 1, { otherApplicants: [{ nameNl: 'Oud verband', carriedOver: true }] });
    expect(assessEligibility(cooperation([municipality('Lier', 5000), inCarriedOver]), settings).eligible).toBe(false);
  });

  it('refuses when statistics are missing, a cooperation of one, and a non-municipality member', () => {
    expect(assessEligibility(cooperation([municipality('Lier', 9000), municipality('Duffel', null)]), settings).reasons).toContain(
      'Het aantal inwoners van niet-EU-14-herkomst in 2022 is niet gekend voor Duffel: importeer die statistieken (zie docs/imports.md) of vraag ABB om ze in te laden. Tot dan kan niet beoordeeld worden of de drempel gehaald wordt.',
    );
    expect(assessEligibility(cooperation([municipality('Lier', 9000)]), settings).eligible).toBe(false);
    const vgc: Candidate = { ...municipality('VGC', null), kind: 'vgc' };
    expect(assessEligibility(cooperation([municipality('Lier', 9000), vgc]), settings).reasons).toContain(
      'Een samenwerkingsverband bestaat enkel uit gemeenten.',
    );
  });

  it('says an unknown figure is unknown, not zero, and gives no advice about regions it cannot give', () => {
    const verdict = assessEligibility(alone(municipality('Herstappe', null, 1, { regionId: null, regionNameNl: null })), settings);
    expect(verdict).toEqual({
      eligible: false,
      totalResidents: 0,
      reasons: [
        'Het aantal inwoners van niet-EU-14-herkomst in 2022 is niet gekend voor Herstappe: importeer die statistieken (zie docs/imports.md) of vraag ABB om ze in te laden. Tot dan kan niet beoordeeld worden of de drempel gehaald wordt.',
      ],
    });
    expect(verdict.reasons.join(' ')).not.toMatch(/0 inwoners|referentieregio/);
    const noRegion = assessEligibility(alone(municipality('Herstappe', 12, 1, { regionId: null, regionNameNl: null })), settings);
    expect(noRegion.reasons).toEqual([
      'Herstappe heeft 12 inwoners van niet-EU-14-herkomst (2022); de drempel is meer dan 7.500.',
      "Herstappe hoort nog bij geen gekende referentieregio; een samenwerkingsverband ligt binnen één referentieregio. Vraag ABB om de referentieregio's in te laden.",
    ]);
  });

  it('accepts VGC for Brussels, and vzw De Rand when its facility municipalities together pass the threshold', () => {
    const vgc: Candidate = { ...municipality('VGC', null), kind: 'vgc' };
    expect(assessEligibility({ kind: 'vgc', lead: vgc, members: [vgc], carriedOver: false }, settings).eligible).toBe(true);
    const rand: Candidate = { ...municipality('vzw De Rand', null), kind: 'de-rand' };
    const facilities = [4000, 3501].map((n, i) => municipality(`Faciliteit ${i}`, n, 1, { facilityMunicipality: true }));
    expect(assessEligibility({ kind: 'de-rand', lead: rand, members: [rand, ...facilities], carriedOver: false }, settings)).toMatchObject({
      eligible: true,
      totalResidents: 7501,
    });
    const few = [4000, 3500].map((n, i) => municipality(`Faciliteit ${i}`, n, 1, { facilityMunicipality: true }));
    expect(assessEligibility({ kind: 'de-rand', lead: rand, members: [rand, ...few], carriedOver: false }, settings).eligible).toBe(false);
    const stranger = municipality('Vilvoorde', 9000);
    expect(assessEligibility({ kind: 'de-rand', lead: rand, members: [rand, ...facilities, stranger], carriedOver: false }, settings).eligible).toBe(false);
  });

  it('never accepts a cooperation at or below the threshold, whatever its members', () => {
    const member = fc.record({ residents: fc.integer({ min: 0, max: 9000 }), region: fc.integer({ min: 1, max: 3 }), carried: fc.boolean() });
    fc.assert(
      fc.property(fc.array(member, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 20000 }), fc.boolean(), (members, threshold, carriedOver) => {
        const candidates = members.map((m, i) =>
          municipality(`G${i}`, m.residents, m.region, { otherApplicants: m.carried ? [{ nameNl: 'X', carriedOver: false }] : [] }),
        );
        const verdict = assessEligibility(cooperation(candidates, carriedOver), { ...settings, threshold });
        const total = members.reduce((sum, m) => sum + m.residents, 0);
        return (
          verdict.totalResidents === total &&
          (!verdict.eligible || (total > threshold && new Set(members.map((m) => m.region)).size === 1 && members.length > 1))
        );
      }),
      { numRuns: 2000 },
    );
  });
});
