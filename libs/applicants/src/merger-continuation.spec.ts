import { continuationAfterMergers, ContinuationQuestion, MemberAcrossMerger, notValidOn } from './merger-continuation';

const ended = (id: number, nameNl: string, successorId: number, successorNameNl: string): MemberAcrossMerger => ({
  id,
  nameNl,
  validFrom: null,
  validUntil: '2024-12-31',
  successorId,
  successorNameNl,
});
const standing = (id: number, nameNl: string): MemberAcrossMerger => ({
  id,
  nameNl,
  validFrom: null,
  validUntil: null,
  successorId: null,
  successorNameNl: null,
});
const bkz = { id: 10, nameNl: 'Beveren-Kruibeke-Zwijndrecht', residents: 12_000 };

function question(members: MemberAcrossMerger[], residents: Record<number, number | null>): ContinuationQuestion {
  const continuing = new Map([[bkz.id, { ...bkz, residents: residents[bkz.id] ?? null }]]);
  for (const m of members) if (m.successorId === null) continuing.set(m.id, { id: m.id, nameNl: m.nameNl, residents: residents[m.id] ?? null });
  return { kind: 'cooperation', members, referenceDate: '2025-10-01', threshold: 10_000, originDefinition: 'niet-EU-14', referenceYear: 2024, continuing };
}

describe('an applicant across a merger', () => {
  const beveren = ended(1, 'Beveren', 10, 'Beveren-Kruibeke-Zwijndrecht');
  const kruibeke = ended(2, 'Kruibeke', 10, 'Beveren-Kruibeke-Zwijndrecht');

  it('says nothing when no member merged', () => {
    expect(continuationAfterMergers(question([standing(3, 'Temse'), standing(4, 'Sint-Niklaas')], {}))).toEqual({
      merged: false,
      members: [],
      mayApplyAlone: [],
      messages: [],
    });
  });

  it('lets the successor take its predecessors’ place, and says it may now apply alone above the threshold', () => {
    const answer = continuationAfterMergers(question([beveren, kruibeke], { 10: 12_000 }));
    expect(answer.members).toEqual([bkz]);
    expect(answer.mayApplyAlone).toEqual([bkz]);
    expect(answer.messages).toEqual([
      'Beveren en Kruibeke zijn opgegaan in Beveren-Kruibeke-Zwijndrecht: in het nieuwe projectjaar neemt Beveren-Kruibeke-Zwijndrecht hun plaats in.',
      'Het samenwerkingsverband telt nog één gemeente: Beveren-Kruibeke-Zwijndrecht heeft 12.000 inwoners van niet-EU-14-herkomst (2024), meer dan de drempel van 10.000, en mag nu alleen indienen.',
    ]);
  });

  it('says a lone successor at or below the threshold cannot apply alone', () => {
    const answer = continuationAfterMergers(question([beveren, kruibeke], { 10: 10_000 }));
    expect(answer.mayApplyAlone).toEqual([]);
    expect(answer.messages[1]).toBe(
      'Het samenwerkingsverband telt nog één gemeente: Beveren-Kruibeke-Zwijndrecht heeft 10.000 inwoners van niet-EU-14-herkomst (2024), niet meer dan de drempel van 10.000; alleen indienen kan niet, een samenwerking met een andere gemeente wel.',
    );
  });

  it('keeps the cooperation with the other members, and names a successor now above the threshold', () => {
    const answer = continuationAfterMergers(question([beveren, standing(3, 'Temse')], { 10: 12_000, 3: 800 }));
    expect(answer.members.map((m) => m.nameNl)).toEqual(['Beveren-Kruibeke-Zwijndrecht', 'Temse']);
    expect(answer.messages).toEqual([
      'Beveren is opgegaan in Beveren-Kruibeke-Zwijndrecht: in het nieuwe projectjaar neemt Beveren-Kruibeke-Zwijndrecht die plaats in.',
      'Beveren-Kruibeke-Zwijndrecht heeft 12.000 inwoners van niet-EU-14-herkomst (2024), meer dan de drempel van 10.000, en mag nu ook alleen indienen.',
    ]);
  });

  it('refuses a member that no longer exists on the reference date, naming its successor, and one that does not exist yet', () => {
    const successor: MemberAcrossMerger = {
      id: 10,
      nameNl: 'Beveren-Kruibeke-Zwijndrecht',
      validFrom: '2025-01-01',
      validUntil: null,
      successorId: null,
      successorNameNl: null,
    };
    expect(notValidOn([beveren, standing(3, 'Temse')], '2025-10-01')).toEqual([
      'Beveren bestaat niet meer op 1 oktober 2025: kies Beveren-Kruibeke-Zwijndrecht, waarin het is opgegaan.',
    ]);
    expect(notValidOn([beveren, successor], '2024-10-01')).toEqual([
      'Beveren-Kruibeke-Zwijndrecht bestaat pas vanaf 1 januari 2025, na de startdatum van dit projectjaar (1 oktober 2024).',
    ]);
  });
});
