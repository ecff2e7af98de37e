import { addressee, advancePaid, balancePaid, letterReference } from './decision-letter-texts';

describe('decision letter texts', () => {
  it('addresses the college of a municipality, and the board of VGC or De Rand', () => {
    expect(addressee({ nameNl: 'Lier', kind: 'municipality' })).toBe('Het college van burgemeester en schepenen van Lier');
    expect(addressee({ nameNl: 'vzw De Rand', kind: 'de-rand' })).toBe('Het bestuur van vzw De Rand');
  });

  it('gives the letter after an allocation a reference of its own', () => {
    expect(letterReference('PS-2025-42', null)).toBe('PS-2025-42');
    expect(letterReference('PS-2025-42', 7)).toBe('PS-2025-42-verdeling-7');
  });

  it('says when the advance and the balance are paid', () => {
    expect(advancePaid(null)).toBe('betaald via de betalingslijst zodra de verdeling van het budget gepubliceerd is.');
    expect(advancePaid('3 oktober 2025')).toContain('gepubliceerd op 3 oktober 2025');
    expect(balancePaid('15 oktober 2026 om 23:59')).toBe(
      'betaald na de aanvaarding van de eindrapportage (in te dienen uiterlijk 15 oktober 2026 om 23:59), verrekend met wat gerealiseerd is.',
    );
    expect(balancePaid('')).toBe('betaald na de aanvaarding van de eindrapportage, verrekend met wat gerealiseerd is.');
  });
});
