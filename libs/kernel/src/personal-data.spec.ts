import fc from 'fast-check';
import { isPersonalField, PERSONAL_FIELDS, withoutPersonalData } from './personal-data';

describe('personal data', () => {
  it('blanks the contact person and payout account of an applicant, keeping every other field and the shape', () => {
    const applicant = {
      id: 7,
      nameNl: 'Stad Gent',
      contact: { name: 'An Peeters', email: 'an@gent.be', phone: '+3292665500', iban: 'BE68539007547034' },
      confirmedPayoutIban: 'BE68539007547034',
      ibanLetterRequired: true,
      members: [{ nameNl: 'Gent', nisCode: '44021' }],
    };
    expect(withoutPersonalData(applicant)).toEqual({
      id: 7,
      nameNl: 'Stad Gent',
      contact: { name: null, email: null, phone: null, iban: null },
      confirmedPayoutIban: null,
      ibanLetterRequired: true,
      members: [{ nameNl: 'Gent', nisCode: '44021' }],
    });
    expect(applicant.contact.email).toBe('an@gent.be');
  });

  it('blanks partner contacts in lists, who acted in history entries and runs, and a settlement by whom only inside "settled"', () => {
    const at = new Date('2025-03-01T10:00:00Z');
    expect(
      withoutPersonalData([
        { name: 'Samenlevingsopbouw', contactName: 'Piet', contactEmail: 'piet@x.be', contactPhone: '+32470', actions: [1] },
        { actorLabel: 'Bart <bart@abb.be>', before: { contact: { name: 'An' } }, after: null, occurredAt: at },
        { createdBy: 'Bart <bart@abb.be>', publishedBy: 'Bea <bea@abb.be>', allocatedCents: 100 },
        { settled: { at, by: 'Bart <bart@abb.be>' }, by: 'not a person' },
      ]),
    ).toEqual([
      { name: 'Samenlevingsopbouw', contactName: null, contactEmail: null, contactPhone: null, actions: [1] },
      { actorLabel: null, before: { contact: { name: null } }, after: null, occurredAt: at },
      { createdBy: null, publishedBy: null, allocatedCents: 100 },
      { settled: { at, by: null }, by: 'not a person' },
    ]);
  });

  it('copies a key named "__proto__" (parsed JSON) as an own field, redacted like any other', () => {
    const redacted = withoutPersonalData(JSON.parse('{"__proto__": {"email": "an@gent.be", "id": 1}, "contact": {"__proto__": "x"}}'));
    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
    expect(JSON.stringify(redacted)).toBe('{"__proto__":{"email":null,"id":1},"contact":{"__proto__":null}}');
  });

  it('names each field once, and only personal ones', () => {
    expect(new Set(PERSONAL_FIELDS).size).toBe(PERSONAL_FIELDS.length);
    expect(isPersonalField('email')).toBe(true);
    expect(isPersonalField('by', 'settled')).toBe(true);
    expect(isPersonalField('by')).toBe(false);
    expect(isPersonalField('nameNl')).toBe(false);
    expect(isPersonalField('name')).toBe(false);
  });

  it('leaves no personal value anywhere and changes nothing else (property)', () => {
    const key = fc.oneof(fc.constantFrom(...PERSONAL_FIELDS.map((f) => f.split('.').pop()!), 'settled', 'id', 'nameNl'), fc.string({ maxLength: 6 }));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.constant(null),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(key, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        const copy = JSON.parse(JSON.stringify(value));
        const redacted = withoutPersonalData(value);
        expect(value).toEqual(copy);
        check(value, redacted, undefined);
      }),
    );
    function check(original: unknown, redacted: unknown, parent: string | undefined, personal = false): void {
      if (personal && (original === null || typeof original !== 'object' || Array.isArray(original))) return expect(redacted).toBeNull();
      if (Array.isArray(original)) return (original as unknown[]).forEach((item, i) => check(item, (redacted as unknown[])[i], parent, personal));
      if (original !== null && typeof original === 'object') {
        const entries = Object.entries(original as Record<string, unknown>);
        expect(Object.keys(redacted as object).sort()).toEqual(entries.map(([k]) => k).sort());
        for (const [k, item] of entries) check(item, (redacted as Record<string, unknown>)[k], k, personal || isPersonalField(k, parent));
        return;
      }
      expect(redacted).toEqual(original);
    }
  });
});
