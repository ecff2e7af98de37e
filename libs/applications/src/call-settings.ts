import { DateTime } from 'luxon';
import { Call } from '@ps/catalogue';
import { BRUSSELS, brusselsToInstant, EURO_REFUSED, parseEuros } from '@ps/kernel';

/**
 * Every setting of a call an ABB administrator may change, in the order the settings page shows
 * them. `frozen` settings drive a rule the applications were made under (who may apply, what a
 * stimulus is worth, how much is advanced, when one may submit): they change only until the
 * call's first submission. The others concern later steps and stay editable.
 */
export const CALL_SETTINGS = {
  submissionOpens: { column: 'submission_opens_at', frozen: true, kind: 'instant' },
  submissionCloses: { column: 'submission_closes_at', frozen: true, kind: 'instant' },
  eligibilityThreshold: { column: 'eligibility_threshold', frozen: true, kind: 'whole', max: 10_000_000 },
  originDefinition: { column: 'origin_definition', frozen: true, kind: 'origin' },
  statisticsReferenceYear: { column: 'statistics_reference_year', frozen: true, kind: 'year' },
  onlyExistingApplicants: { column: 'only_existing_applicants', frozen: true, kind: 'yes-no' },
  applicantsOfYear: { column: 'applicants_of_year', frozen: true, kind: 'project-year', optional: true },
  cooperationStimulusEuro: { column: 'cooperation_stimulus_cents', frozen: true, kind: 'euro' },
  mentorshipStimulusEuro: { column: 'mentorship_stimulus_cents', frozen: true, kind: 'euro', optional: true },
  impactBondStimulusEuro: { column: 'impact_bond_stimulus_cents', frozen: true, kind: 'euro', optional: true },
  advancePercent: { column: 'advance_percent', frozen: true, kind: 'whole', max: 100 },
  interimThresholdPercent: { column: 'interim_threshold_percent', frozen: true, kind: 'whole', max: 100 },
  reclaimRule: { column: 'reclaim_rule', frozen: true, kind: 'reclaim' },
  reclaimTolerancePercent: { column: 'reclaim_tolerance_percent', frozen: true, kind: 'whole', max: 100 },
  waiverApprovalThresholdEuro: { column: 'waiver_approval_threshold_cents', frozen: false, kind: 'euro' },
  projectStart: { column: 'project_start', frozen: false, kind: 'date' },
  projectEnd: { column: 'project_end', frozen: false, kind: 'date' },
  budgetEuro: { column: 'budget_cents', frozen: false, kind: 'euro', optional: true },
  decisionDate: { column: 'decision_date', frozen: false, kind: 'date', optional: true },
  interimReportDue: { column: 'interim_report_due_at', frozen: false, kind: 'instant', optional: true },
  finalReportDue: { column: 'final_report_due_at', frozen: false, kind: 'instant', optional: true },
  signatoryName: { column: 'signatory_name', frozen: false, kind: 'text', optional: true, max: 200 },
  signatoryFunction: { column: 'signatory_function', frozen: false, kind: 'text', optional: true, max: 200 },
  appealText: { column: 'appeal_text', frozen: false, kind: 'text', optional: true, max: 2000 },
} as const satisfies Record<string, SettingRule>;

interface SettingRule {
  column: string;
  frozen: boolean;
  kind: 'instant' | 'date' | 'euro' | 'whole' | 'origin' | 'year' | 'project-year' | 'yes-no' | 'reclaim' | 'text';
  optional?: boolean;
  max?: number;
}

export type CallSettingKey = keyof typeof CALL_SETTINGS;
export const CALL_SETTING_KEYS = Object.keys(CALL_SETTINGS) as CallSettingKey[];
export type StoredSetting = Date | string | number | boolean | null;

/** A partial change: only the settings given change; `version` is the call version the client read. */
export type CallSettingsChange = Partial<Record<CallSettingKey, unknown>> & { version: number };

export const RECLAIM_RULES = ['pro-rata', 'none'];
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const ORIGIN_DEFINITION = /^niet-EU-\d{1,2}$/;
const MAX_EURO_CENTS = 10_000_000_000_00;
const CONTROLS = /\p{Cc}|[\u202A-\u202E\u2066-\u2069]/u;

const PROPERTY: Record<CallSettingKey, keyof Call> = {
  submissionOpens: 'submissionOpensAt',
  submissionCloses: 'submissionClosesAt',
  eligibilityThreshold: 'eligibilityThreshold',
  originDefinition: 'originDefinition',
  statisticsReferenceYear: 'statisticsReferenceYear',
  onlyExistingApplicants: 'onlyExistingApplicants',
  applicantsOfYear: 'applicantsOfYear',
  cooperationStimulusEuro: 'cooperationStimulusCents',
  mentorshipStimulusEuro: 'mentorshipStimulusCents',
  impactBondStimulusEuro: 'impactBondStimulusCents',
  advancePercent: 'advancePercent',
  interimThresholdPercent: 'interimThresholdPercent',
  reclaimRule: 'reclaimRule',
  reclaimTolerancePercent: 'reclaimTolerancePercent',
  waiverApprovalThresholdEuro: 'waiverApprovalThresholdCents',
  projectStart: 'projectStart',
  projectEnd: 'projectEnd',
  budgetEuro: 'budgetCents',
  decisionDate: 'decisionDate',
  interimReportDue: 'interimReportDueAt',
  finalReportDue: 'finalReportDueAt',
  signatoryName: 'signatoryName',
  signatoryFunction: 'signatoryFunction',
  appealText: 'appealText',
};

/** The stored value of a setting (instants, cents, numbers), as compared and audited. */
export function storedSetting(call: Call, key: CallSettingKey): StoredSetting {
  return call[PROPERTY[key]] as StoredSetting;
}

export function sameSetting(a: StoredSetting, b: StoredSetting): boolean {
  return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
}

/** A Brussels wall-clock time; seconds only when they are not zero, so a form saved unchanged keeps 23:59:59. */
export function brusselsLocal(instant: Date | null): string {
  if (!instant) return '';
  const local = DateTime.fromJSDate(instant, { zone: BRUSSELS });
  return local.toFormat(local.second === 0 ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd'T'HH:mm:ss");
}

/** Flemish notation without thousands separators: 16970780 or 62,50. */
export function euroField(cents: number | null): string {
  return cents === null ? '' : (cents / 100).toFixed(2).replace(/\.00$/, '').replace('.', ',');
}

/** The settings of a call as its form shows them: Brussels wall-clock times and euro amounts. */
export function settingsForm(call: Call): Record<CallSettingKey, string> {
  const show = (key: CallSettingKey): string => {
    const value = storedSetting(call, key);
    if (value instanceof Date) return brusselsLocal(value);
    if (CALL_SETTINGS[key].kind === 'euro') return euroField(value as number | null);
    return value === null ? '' : String(value);
  };
  return Object.fromEntries(CALL_SETTING_KEYS.map((key) => [key, show(key)])) as Record<CallSettingKey, string>;
}

/** Parses the given settings; every bad one gets its own Dutch message. Settings not given are absent from the result. */
export function parseSettings(change: CallSettingsChange): { values: Partial<Record<CallSettingKey, StoredSetting>>; errors: Record<string, string[]> } {
  const values: Partial<Record<CallSettingKey, StoredSetting>> = {};
  const errors: Record<string, string[]> = {};
  for (const key of CALL_SETTING_KEYS) {
    if (!(key in change) || change[key] === undefined) continue;
    const raw = change[key];
    if (!['string', 'number', 'boolean'].includes(typeof raw) && raw !== null) {
      errors[key] = ['Geef een tekst of een getal.'];
      continue;
    }
    const parsed = parseSetting(CALL_SETTINGS[key], raw === null ? '' : String(raw).trim());
    if (typeof parsed === 'object' && parsed !== null && 'refused' in parsed) errors[key] = [parsed.refused];
    else values[key] = parsed;
  }
  return { values, errors };
}

function parseSetting(rule: SettingRule, text: string): StoredSetting | { refused: string } {
  if (text === '' && rule.optional) return null;
  switch (rule.kind) {
    case 'instant':
      return LOCAL_TIME.test(text) && validInstant(text)
        ? brusselsToInstant(text)
        : { refused: 'Geef een bestaande datum en uur als JJJJ-MM-DDTuu:mm (Brusselse tijd).' };
    case 'date':
      return DATE.test(text) && DateTime.fromISO(text).isValid ? text : { refused: 'Geef een bestaande datum als JJJJ-MM-DD.' };
    case 'euro':
      return parseEuroAmount(text) ?? { refused: `${EURO_REFUSED} Van 0 tot 10 miljard euro.` };
    case 'whole':
      return /^\d{1,8}$/.test(text) && Number(text) <= rule.max!
        ? Number(text)
        : { refused: `Geef een geheel getal van 0 tot ${rule.max!.toLocaleString('nl-BE')}.` };
    case 'year':
      return /^\d{4}$/.test(text) && Number(text) >= 1990 && Number(text) <= 2100 ? Number(text) : { refused: 'Geef een jaartal van 1990 tot 2100.' };
    case 'project-year':
      return /^\d{1,2}$/.test(text) && Number(text) >= 1 ? Number(text) : { refused: 'Geef het nummer van een eerder projectjaar, zoals 3.' };
    case 'origin':
      return ORIGIN_DEFINITION.test(text) ? text : { refused: 'Geef een herkomstdefinitie zoals niet-EU-14 (zoals in de geïmporteerde statistieken).' };
    case 'yes-no':
      return text === 'true' ? true : text === 'false' ? false : { refused: 'Kies ja of nee.' };
    case 'reclaim':
      return RECLAIM_RULES.includes(text) ? text : { refused: 'Kies een terugvorderingsregel uit de lijst.' };
    case 'text':
      return text.length <= rule.max! && !CONTROLS.test(text.replace(/\r?\n/g, ''))
        ? text.replace(/\r\n?/g, '\n')
        : { refused: `Geef een tekst van hoogstens ${rule.max!.toLocaleString('nl-BE')} tekens, zonder stuurtekens.` };
  }
}

function validInstant(text: string): boolean {
  try {
    brusselsToInstant(text);
    return true;
  } catch {
    return false;
  }
}

/** A euro amount (the grammar of parseEuros) from 0 to 10 billion, in cents; null for anything else. */
export function parseEuroAmount(text: string): number | null {
  const cents = parseEuros(text);
  return cents !== null && cents <= MAX_EURO_CENTS ? cents : null;
}

/** Rules between settings, checked on the call (of project year `year`) as it would be after the change. */
export function crossCheck(after: (key: CallSettingKey) => StoredSetting, given: Set<CallSettingKey>, year: number): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const applicantsOf = after('applicantsOfYear') as number | null;
  if (applicantsOf !== null && applicantsOf >= year) errors.applicantsOfYear = [`Kies een projectjaar vóór projectjaar ${year}.`];
  const blame = (a: CallSettingKey, b: CallSettingKey) => (given.has(b) || !given.has(a) ? b : a);
  if ((after('submissionCloses') as Date) <= (after('submissionOpens') as Date))
    errors[blame('submissionOpens', 'submissionCloses')] = ['De indientermijn sluit na de opening.'];
  if ((after('projectEnd') as string) <= (after('projectStart') as string))
    errors[blame('projectStart', 'projectEnd')] = ['De projectperiode eindigt na de start.'];
  return errors;
}
