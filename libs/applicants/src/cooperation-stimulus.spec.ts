import { cooperationStimulus, CooperationStimulusFacts } from './cooperation-stimulus';

const RULE =
  'De samenwerkingsstimulans is voor een trekker met meer dan 1.000 inwoners van niet-EU-herkomst (2020) die samenwerkt met kleinere lokale besturen uit de referentieregio, ' +
  'of voor een voortzetting die nieuwe lokale besturen aan boord neemt.';

const facts = (
  overrides: Partial<CooperationStimulusFacts> = {},
  applicant: Partial<CooperationStimulusFacts['applicant']> = {},
): CooperationStimulusFacts => ({
  applicant: { nameNl: 'Samenwerking Kempen', kind: 'cooperation', leadLocalGovernmentId: 1, continuation: false, ...applicant },
  call: { eligibilityThreshold: 1000, originDefinition: 'niet-EU', statisticsReferenceYear: 2020 },
  members: [
    { id: 1, nameNl: 'Geel', residents: 1500 },
    { id: 2, nameNl: 'Kasterlee', residents: 300 },
  ],
  newcomers: [],
  ...overrides,
});

describe('the cooperation stimulus', () => {
  it('is granted to a lead above the threshold that cooperates with smaller local governments', () => {
    expect(cooperationStimulus(facts())).toEqual({
      allowed: true,
      reason: 'Trekker Geel heeft 1.500 inwoners van niet-EU-herkomst en werkt samen met kleinere lokale besturen.',
    });
  });

  it('is refused when the lead is at or below the threshold, or its figure is unknown', () => {
    const atThreshold = facts({ members: [{ id: 1, nameNl: 'Geel', residents: 1000 }] });
    expect(cooperationStimulus(atThreshold)).toEqual({ allowed: false, reason: `${RULE} Trekker Geel heeft er 1.000.` });
    const unknown = facts({ members: [{ id: 1, nameNl: 'Geel', residents: null }] });
    expect(cooperationStimulus(unknown)).toEqual({ allowed: false, reason: `${RULE} Het cijfer van de trekker is niet gekend.` });
  });

  it('is refused when a member is not smaller than the lead; an unknown figure is not smaller', () => {
    const members = [
      { id: 1, nameNl: 'Geel', residents: 1500 },
      { id: 2, nameNl: 'Mol', residents: 1500 },
      { id: 3, nameNl: 'Retie', residents: null },
      { id: 4, nameNl: 'Kasterlee', residents: 300 },
    ];
    expect(cooperationStimulus(facts({ members }))).toEqual({
      allowed: false,
      reason: `${RULE} Niet kleiner dan trekker Geel (1.500): Mol (1.500), Retie (niet gekend).`,
    });
  });

  it('is granted to a continuation, De Rand included, that takes new local governments aboard, whatever the figures', () => {
    const lowLead = { members: [{ id: 1, nameNl: 'Geel', residents: 10 }] };
    expect(cooperationStimulus(facts({ ...lowLead, newcomers: ['Retie', 'Dessel'] }, { continuation: true }))).toEqual({
      allowed: true,
      reason: 'Deze voortzetting neemt nieuwe lokale besturen aan boord: Retie, Dessel.',
    });
    expect(cooperationStimulus(facts({ newcomers: ['Linkebeek'] }, { kind: 'de-rand', nameNl: 'vzw De Rand', continuation: true })).allowed).toBe(true);
  });

  it('is refused to applicants that apply alone, and to De Rand without newcomers', () => {
    expect(cooperationStimulus(facts({}, { kind: 'single', nameNl: 'Stad Gent' }))).toEqual({ allowed: false, reason: `${RULE} Stad Gent dient alleen in.` });
    expect(cooperationStimulus(facts({}, { kind: 'de-rand', nameNl: 'vzw De Rand', continuation: true }))).toEqual({
      allowed: false,
      reason: `${RULE} vzw De Rand neemt geen nieuwe lokale besturen aan boord.`,
    });
  });

  it('ignores newcomers of an applicant that is not a continuation', () => {
    const lowLead = facts({ members: [{ id: 1, nameNl: 'Geel', residents: 10 }], newcomers: ['Retie'] });
    expect(cooperationStimulus(lowLead).allowed).toBe(false);
  });
});
