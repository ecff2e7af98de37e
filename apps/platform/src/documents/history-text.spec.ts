import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CALL_SETTING_KEYS, CALL_SETTINGS, TRANSITIONS } from '@ps/applications';
import { withoutPersonalData } from '@ps/kernel';
import { REPORT_STATUSES } from '@ps/reporting';
import { ACTION_NAMES, actionName, describeChanges, FIELD_LABELS, fieldLabel, formatValue } from './history-text';

const LIBS = join(__dirname, '../../../../libs');

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'migrations' && entry.name !== 'node_modules') sources(path, out);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) out.push(path);
  }
  return out;
}

/** The argument text of each call of `name(` up to its callback: where a versioned change names its action. */
function callHeads(source: string, name: RegExp): string[] {
  const heads: string[] = [];
  for (const match of source.matchAll(name)) {
    let depth = 1;
    let i = match.index + match[0].length;
    const start = i;
    while (i < source.length && depth > 0) {
      if (source[i] === '(') depth++;
      if (source[i] === ')') depth--;
      i++;
    }
    heads.push(source.slice(start, i).split(/async|=>/)[0]);
  }
  return heads;
}

/**
 * Every action written anywhere in libs/: `action: '…'` and `action = …` (with each literal of a choice), the action
 * argument of `changeVersioned(…)` and of a record's `.change(…)`, the proposals' steps, and the sets an action is taken
 * from at run time (application transitions, the states a call moves to, report decisions).
 */
function actionsWritten(): Map<string, string> {
  const found = new Map<string, string>();
  const add = (action: string, where: string) => found.set(action, found.get(action) ?? where);
  for (const file of sources(LIBS)) {
    const source = readFileSync(file, 'utf8');
    const where = relative(LIBS, file);
    for (const m of source.matchAll(/\baction\s*[:=]\s*([^;,}\n]*(?:\?[^;\n]*)?)/g)) for (const l of m[1].matchAll(/'([a-z][a-z-]*)'/g)) add(l[1], where);
    for (const head of callHeads(source, /(?:changeVersioned|\.change)\(/g)) for (const l of head.matchAll(/'([a-z][a-z-]*)'/g)) add(l[1], where);
    for (const m of source.matchAll(/\b(?:proposed|approved|withdrawn):\s*'([a-z][a-z-]*)'/g)) add(m[1], where);
    // A call moved to a state is audited under the state's name.
    for (const m of source.matchAll(/CALL_STATES = \[([^\]]*)\]/g)) for (const l of m[1].matchAll(/'([a-z][a-z-]*)'/g)) add(l[1], where);
    if (source.includes('`report-${status}`')) for (const status of REPORT_STATUSES) if (status !== 'draft') add(`report-${status}`, where);
  }
  for (const transition of Object.keys(TRANSITIONS)) add(transition, 'applications/src/workflow.ts');
  // A literal the scan picks up that is a value, not an action: an applicant member's state.
  found.delete('member');
  return found;
}

describe('history in words', () => {
  it('names every action written anywhere in libs/ in Dutch', () => {
    const written = actionsWritten();
    expect(written.size).toBeGreaterThan(40);
    const unnamed = [...written].filter(([action]) => !Object.hasOwn(ACTION_NAMES, action)).map(([action, where]) => `${action} (${where})`);
    expect(unnamed).toEqual([]);
  });

  it('finds the actions in their known shapes', () => {
    const written = actionsWritten();
    for (const action of ['draft-saved', 'submit', 'approve', 'report-accepted', 'settled', 'publication-proposed', 'contact-updated', 'published'])
      expect([action, written.has(action)]).toEqual([action, true]);
  });

  it('gives the Dutch name, and keeps an unknown code as it is', () => {
    expect(actionName('draft-saved')).toBe('Ontwerp bewaard');
    expect(actionName('submit')).toBe('Aanvraag ingediend');
    expect(actionName('something-old')).toBe('something-old');
    expect(actionName('constructor')).toBe('constructor');
  });

  it('names a KPI line by its action and unit: "Gepland bereik, actie 5 (volwassen anderstaligen): 200 → 300"', () => {
    const line = (planned: number) => ({ kpiLine: 12, action: 5, unit: 'volwassen anderstaligen', planned, confirmed: null });
    expect(describeChanges({ lines: [line(200)] }, { lines: [line(300)] })).toEqual([
      { field: 'Gepland bereik, actie 5 (volwassen anderstaligen)', before: '200', after: '300' },
    ]);
    // An older entry without the action: the line's number.
    expect(describeChanges({ lines: [{ kpiLine: 12, planned: 1 }] }, { lines: [{ kpiLine: 12, planned: 2500 }] })).toEqual([
      { field: 'Gepland bereik, KPI-lijn 12', before: '1', after: '2.500' },
    ]);
    // A line added and one removed.
    expect(describeChanges({ lines: [{ kpiLine: 1, action: 2, planned: 4 }] }, { lines: [{ kpiLine: 3, action: 7, planned: 5 }] })).toEqual([
      { field: 'Gepland bereik, actie 2', before: '4', after: '—' },
      { field: 'Gepland bereik, actie 7', before: '—', after: '5' },
    ]);
  });

  it('formats money, accounts, statuses, yes and no, and lists', () => {
    expect(describeChanges({ totals: { flemishContributionCents: 0 } }, { totals: { flemishContributionCents: 123456 } })).toEqual([
      { field: 'Vlaamse bijdrage', before: '€\u00a00,00', after: '€\u00a01.234,56' },
    ]);
    expect(describeChanges({ contact: { iban: 'BE68539007547034' } }, { contact: { iban: 'BE71096123456769' } })).toEqual([
      { field: 'Rekeningnummer', before: 'BE68 5390 0754 7034', after: 'BE71 0961 2345 6769' },
    ]);
    expect(describeChanges({ state: 'draft' }, { state: 'published' })).toEqual([{ field: 'Toestand', before: 'ontwerp', after: 'gepubliceerd' }]);
    expect(describeChanges({ eligible: false, priorities: [] }, { eligible: true, priorities: [5, 9] })).toEqual([
      { field: 'Komt in aanmerking', before: 'nee', after: 'ja' },
      { field: 'Prioriteiten', before: '—', after: '5, 9' },
    ]);
    expect(formatValue('closesAt', '2026-03-31T21:59:00.000Z')).toBe('31 maart 2026 23:59');
    expect(fieldLabel('reviewComment')).toBe('Review comment');
  });

  it('shows what was created, and nothing for an unchanged field', () => {
    expect(describeChanges(null, { year: 2026, budgetCents: 100_000_00, policy: 'pro-rata' })).toEqual([
      { field: 'Projectjaar', before: '—', after: '2026' },
      { field: 'Budget', before: '—', after: '€\u00a0100.000,00' },
      { field: 'Verdeelregel', before: '—', after: 'pro-rata' },
    ]);
    expect(describeChanges({ status: 'concept' }, { status: 'concept' })).toEqual([]);
    // A line added with no confirmed quantity yet, and an empty list, show no change for what is empty on both sides.
    expect(describeChanges({ lines: [] }, { lines: [{ kpiLine: 4, action: 5, planned: 2, confirmed: null }] })).toEqual([
      { field: 'Gepland bereik, actie 5', before: '—', after: '2' },
    ]);
    expect(describeChanges({ priorities: {} }, { priorities: { 5: 1 } })).toEqual([{ field: 'Prioriteit, actie 5', before: '—', after: '1' }]);
  });

  describe("a call's entries (libs/applications: call-life.service.ts, calls-administration.ts)", () => {
    const euro = (text: string) => text.replace(/\u00a0/g, ' ');
    const words = (before: object | null, after: object | null) =>
      describeChanges(before, after).map((c) => `${c.field}: ${euro(c.before)} → ${euro(c.after)}`);

    it('labels every setting of a call in Dutch', () => {
      expect(CALL_SETTING_KEYS.filter((key) => !Object.hasOwn(FIELD_LABELS, key))).toEqual([]);
      // Each euro setting is audited in cents (its stored value) and shown as euro.
      for (const key of CALL_SETTING_KEYS.filter((k) => CALL_SETTINGS[k].kind === 'euro'))
        expect([key, formatValue(key, 123456)]).toEqual([key, '€\u00a01.234,56']);
    });

    it('settings-updated: the settings changed, with times in Brussels, euro, dates, percentages and choices in words', () => {
      expect(
        words(
          {
            submissionCloses: '2026-03-31T21:59:00.000Z',
            budgetEuro: 1_697_078_000,
            advancePercent: 50,
            projectStart: '2026-01-01',
            reclaimRule: 'pro-rata',
            onlyExistingApplicants: false,
            applicantsOfYear: null,
            nameNl: 'Projectjaar 4 (2026-2027)',
          },
          {
            submissionCloses: '2026-04-15T10:00:00.000Z',
            budgetEuro: 1_800_000_000,
            advancePercent: 60,
            projectStart: '2026-02-01',
            reclaimRule: 'none',
            onlyExistingApplicants: true,
            applicantsOfYear: 3,
            nameNl: 'Projectjaar 4 (2026-2028)',
          },
        ),
      ).toEqual([
        'Indienen sluit: 31 maart 2026 23:59 → 15 april 2026 12:00',
        'Budget: € 16.970.780,00 → € 18.000.000,00',
        'Voorschot: 50 % → 60 %',
        'Start projectperiode: 1 januari 2026 → 1 februari 2026',
        'Terugvordering: in verhouding tot het niet-gerealiseerde deel → geen terugvordering',
        'Enkel voortzettingen van een vorig projectjaar: nee → ja',
        'Voortzettingen van de projectindieners van projectjaar: — → 3',
        'Naam: Projectjaar 4 (2026-2027) → Projectjaar 4 (2026-2028)',
      ]);
    });

    it('created, published, closed', () => {
      expect(words(null, { copiedFromYear: 3, nameNl: 'Projectjaar 4 (2027-2028)', state: 'draft' })).toEqual([
        'Gekopieerd van projectjaar: — → 3',
        'Naam: — → Projectjaar 4 (2027-2028)',
        'Toestand: — → ontwerp',
      ]);
      expect(words({ state: 'draft' }, { state: 'published' })).toEqual(['Toestand: ontwerp → gepubliceerd']);
      expect(words({ state: 'published' }, { state: 'closed' })).toEqual(['Toestand: gepubliceerd → afgesloten']);
      expect(['created', 'settings-updated', 'published', 'closed'].map(actionName)).toEqual([
        'Aangemaakt',
        'Instellingen gewijzigd',
        'Gepubliceerd',
        'Afgesloten',
      ]);
    });

    it("the menu's changes, without the catalogue's version number", () => {
      expect(words(null, { code: 'werk', nameNl: 'Werk', catalogueVersion: 7 })).toEqual(['Code: — → werk', 'Naam: — → Werk']);
      expect(words(null, { number: 21, objectiveCode: 'werk', titleNl: 'Jobcoaching', funded: true, catalogueVersion: 8 })).toEqual([
        'Actienummer: — → 21',
        'Doelstelling: — → werk',
        'Titel: — → Jobcoaching',
        'Gefinancierd: — → ja',
      ]);
      expect(
        words({ number: 21, titleNl: 'Jobcoaching', funded: true }, { number: 21, titleNl: 'Begeleiding naar werk', funded: false, catalogueVersion: 9 }),
      ).toEqual(['Titel: Jobcoaching → Begeleiding naar werk', 'Gefinancierd: ja → nee']);
      expect(words({ number: 21, titleNl: 'Begeleiding naar werk', funded: false }, null)).toEqual([
        'Actienummer: 21 → —',
        'Titel: Begeleiding naar werk → —',
        'Gefinancierd: nee → —',
      ]);
      const line = {
        kpiLineId: 412,
        actionNumber: 21,
        position: 2,
        descriptionNl: 'Trajecten',
        unitNl: 'deelnemers',
        maxQuantity: 1500,
        unitAmountCents: 25_000,
      };
      expect(words(null, { ...line, catalogueVersion: 10 })).toEqual([
        'KPI-lijn (nummer): — → 412',
        'Actie: — → 21',
        'Volgnummer: — → 2',
        'Omschrijving: — → Trajecten',
        'Eenheid: — → deelnemers',
        'Maximaal aantal: — → 1.500',
        'Bedrag per eenheid: — → € 250,00',
      ]);
      expect(words(line, null)).toHaveLength(7);
      // A KPI line's maximum and amount changed (audited on the line itself).
      expect(
        words({ maxQuantity: 1500, unitAmountCents: 25_000, catalogueVersion: 10 }, { maxQuantity: 2000, unitAmountCents: 30_000, catalogueVersion: 11 }),
      ).toEqual(['Maximaal aantal: 1.500 → 2.000', 'Bedrag per eenheid: € 250,00 → € 300,00']);
      expect(['objective-added', 'action-added', 'action-changed', 'action-retired', 'kpi-line-added', 'kpi-line-retired'].map(actionName)).toEqual([
        'Doelstelling toegevoegd',
        'Actie toegevoegd',
        'Actie gewijzigd',
        'Actie geschrapt',
        'KPI-lijn toegevoegd',
        'KPI-lijn geschrapt',
      ]);
    });
  });

  it('shows no personal field to a reader whose entries come without them', () => {
    const before = { contact: { name: 'An Peeters', email: 'an@lier.be', phone: null, iban: 'BE68539007547034' }, nameNl: 'Lier' };
    const after = { contact: { name: 'Bert Jans', email: 'bert@lier.be', phone: null, iban: 'BE71096123456769' }, nameNl: 'Lier samen' };
    expect(describeChanges(withoutPersonalData(before), withoutPersonalData(after))).toEqual([{ field: 'Naam', before: 'Lier', after: 'Lier samen' }]);
    expect(describeChanges(before, after).map((c) => c.field)).toEqual(['Contactpersoon', 'E-mailadres van de contactpersoon', 'Rekeningnummer', 'Naam']);
  });
});
