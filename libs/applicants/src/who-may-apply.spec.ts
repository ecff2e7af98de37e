import { onlyApplicantsOf, refusalToRegister, WhoMayApply } from './who-may-apply';

const open: WhoMayApply = { yearNumber: 5, nameNl: 'Projectjaar 5', onlyExistingApplicants: false, applicantsOfYear: null };
const ofYear3: WhoMayApply = { ...open, onlyExistingApplicants: true, applicantsOfYear: 3 };
const earlier = (yearNumber: number, lead = 10, successor: number | null = null) => ({ yearNumber, leadLocalGovernmentId: lead, leadSuccessorId: successor });

describe('who may apply to a call', () => {
  it('names the year whose applicants continue: the named one, else the year before; none when the call is open', () => {
    expect(onlyApplicantsOf(open)).toBeNull();
    expect(onlyApplicantsOf(ofYear3)).toBe(3);
    expect(onlyApplicantsOf({ ...ofYear3, applicantsOfYear: null })).toBe(4);
  });

  it('lets anyone eligible register in an open call, and continue any earlier applicant with the same lead', () => {
    expect(refusalToRegister(open, 10, undefined)).toBeNull();
    expect(refusalToRegister(open, 10, earlier(1))).toBeNull();
    expect(refusalToRegister(open, 11, earlier(1))).toBe('Kies een aanvraag van een vorig projectjaar met dezelfde trekker.');
    expect(refusalToRegister(open, 10, earlier(5))).toBe('Kies een aanvraag van een vorig projectjaar met dezelfde trekker.');
    expect(refusalToRegister(open, 10, null)).toBe('Kies een aanvraag van een vorig projectjaar met dezelfde trekker.');
  });

  it('in a call for the applicants of year 3 refuses a newcomer and a continuation of another year, naming year 3', () => {
    expect(refusalToRegister(ofYear3, 10, undefined)).toBe(
      'In Projectjaar 5 dienen enkel projectindieners van projectjaar 3 in; nieuwe lokale besturen sluiten bij hen aan.',
    );
    const other = 'Kies een aanvraag van projectjaar 3 met dezelfde trekker: in Projectjaar 5 dienen enkel projectindieners van projectjaar 3 in.';
    expect(refusalToRegister(ofYear3, 10, earlier(4))).toBe(other);
    expect(refusalToRegister(ofYear3, 10, earlier(2))).toBe(other);
    expect(refusalToRegister(ofYear3, 11, earlier(3))).toBe(other);
    expect(refusalToRegister(ofYear3, 10, null)).toBe(other);
    expect(refusalToRegister(ofYear3, 10, earlier(3))).toBeNull();
  });

  it('lets the local government the earlier lead merged into lead the continuation', () => {
    expect(refusalToRegister(ofYear3, 20, earlier(3, 10, 20))).toBeNull();
    expect(refusalToRegister(open, 20, earlier(2, 10, 20))).toBeNull();
  });
});
