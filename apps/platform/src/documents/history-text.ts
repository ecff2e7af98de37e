import { formatBrussels, formatDate, formatEuro } from '@ps/kernel';

/**
 * "Geschiedenis" in words: a Dutch name per audit action, and each changed field of an entry with its label and
 * formatted values ("Gepland bereik, actie 5 (volwassen anderstaligen): 200 → 300"). Pure; the entries come already
 * without personal data for roles that may not see it (their fields are null before and after, so they show no change).
 */

/** Every action the audit trail writes (libs/**), by its Dutch name; history-text.spec.ts fails when one is missing. */
export const ACTION_NAMES: Readonly<Record<string, string>> = {
  // records of any kind
  created: 'Aangemaakt',
  updated: 'Gewijzigd',
  imported: 'Ingelezen',
  // users and tokens
  'created-by-identity-provider': 'Aangemaakt bij de eerste aanmelding via de identiteitsprovider',
  deactivated: 'Gedeactiveerd',
  reactivated: 'Opnieuw geactiveerd',
  issued: 'API-token uitgereikt',
  revoked: 'Ingetrokken',
  'password-reset-requested': 'Nieuw wachtwoord aangevraagd',
  'password-set': 'Wachtwoord ingesteld',
  // applicants and partners
  registered: 'Projectindiener geregistreerd',
  'member-added': 'Deelnemer toegevoegd',
  'member-invited': 'Deelnemer uitgenodigd',
  'member-removed': 'Deelnemer verwijderd',
  'invitation-accepted': 'Uitnodiging aanvaard',
  'invitation-declined': 'Uitnodiging geweigerd',
  'contact-updated': 'Contactgegevens gewijzigd',
  'payout-account-confirmed': 'Rekeningnummer bevestigd',
  'iban-letter-uploaded': 'Bankattest opgeladen',
  'partner-added': 'Partner toegevoegd',
  'partner-linked': 'Partner gekoppeld',
  'partner-unlinked': 'Partner ontkoppeld',
  // applications and their review
  'draft-saved': 'Ontwerp bewaard',
  submit: 'Aanvraag ingediend',
  'start-review': 'Behandeling gestart',
  approve: 'Aanvraag goedgekeurd',
  reject: 'Aanvraag afgewezen',
  return: 'Teruggestuurd naar de aanvrager',
  reopen: 'Aanvraag heropend',
  'deadline-extended': 'Indientermijn verlengd',
  'line-evaluated': 'KPI-lijn geëvalueerd',
  // reports
  'report-saved': 'Rapport bewaard',
  'report-submitted': 'Rapport ingediend',
  'report-evidence-added': 'Bewijsstuk toegevoegd',
  'report-reopened': 'Rapport heropend',
  'report-accepted': 'Rapport aanvaard',
  'report-returned': 'Rapport teruggestuurd',
  // allocation, payments and settlement
  simulated: 'Verdeling gesimuleerd',
  published: 'Gepubliceerd',
  'payments-released': 'Betaallijst vrijgegeven',
  'publication-proposed': 'Publicatie voorgesteld',
  'publication-approved': 'Publicatie goedgekeurd (vier ogen)',
  'publication-withdrawn': 'Voorstel tot publicatie ingetrokken',
  'release-proposed': 'Vrijgave van de betaallijst voorgesteld',
  'release-approved': 'Vrijgave van de betaallijst goedgekeurd (vier ogen)',
  'release-withdrawn': 'Voorstel tot vrijgave ingetrokken',
  'waiver-proposed': 'Afzien van terugvordering voorgesteld',
  'waiver-approved': 'Afzien van terugvordering goedgekeurd (vier ogen)',
  'waiver-withdrawn': 'Voorstel tot afzien van terugvordering ingetrokken',
  'final-result-recorded': 'Eindresultaat vastgelegd',
  settled: 'Afrekening afgesloten',
  // calls and reference data
  draft: 'Teruggezet naar ontwerp',
  closed: 'Afgesloten',
  'settings-updated': 'Instellingen gewijzigd',
  'objective-added': 'Doelstelling toegevoegd',
  'action-added': 'Actie toegevoegd',
  'action-changed': 'Actie gewijzigd',
  'action-retired': 'Actie geschrapt',
  'kpi-line-added': 'KPI-lijn toegevoegd',
  'kpi-line-retired': 'KPI-lijn geschrapt',
  merged: 'Gefusioneerd',
  'demo-window-opened': 'Indienperiode geopend (demo)',
};

/** The Dutch name of an action; an unknown one (an entry from before this list) keeps its code. */
export function actionName(action: string): string {
  return Object.hasOwn(ACTION_NAMES, action) ? ACTION_NAMES[action] : action;
}

/** Labels of the fields entries carry, by name or by dotted path (a path wins). Unknown fields are spelled out from their name. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  status: 'Status',
  state: 'Toestand',
  nameNl: 'Naam',
  titleNl: 'Titel',
  kind: 'Soort',
  members: 'Deelnemers',
  eligible: 'Komt in aanmerking',
  priorities: 'Prioriteiten',
  contact: 'Contactpersoon',
  'contact.name': 'Contactpersoon',
  'contact.email': 'E-mailadres van de contactpersoon',
  'contact.phone': 'Telefoon van de contactpersoon',
  'contact.iban': 'Rekeningnummer',
  iban: 'Rekeningnummer',
  payoutIban: 'Rekeningnummer',
  confirmedPayoutIban: 'Bevestigd rekeningnummer',
  accountHolder: 'Rekeninghouder',
  email: 'E-mailadres',
  displayName: 'Naam',
  role: 'Rol',
  active: 'Actief',
  localGovernmentId: 'Lokaal bestuur (nummer)',
  'totals.flemishContributionCents': 'Vlaamse bijdrage',
  'totals.localCofinancingCents': 'Lokale cofinanciering',
  'totals.stimuliCents': 'Stimulansen',
  'totals.totalFlemishCents': 'Totale Vlaamse bijdrage',
  flemishContributionCents: 'Vlaamse bijdrage',
  budgetCents: 'Budget',
  policy: 'Verdeelregel',
  year: 'Projectjaar',
  comment: 'Opmerking',
  reason: 'Reden',
  late: 'Te laat',
  number: 'Actienummer',
  funded: 'Gefinancierd',
  objectiveCode: 'Doelstelling',
  code: 'Code',
  descriptionNl: 'Omschrijving',
  unitNl: 'Eenheid',
  maxQuantity: 'Maximaal aantal',
  actionNumber: 'Actie',
  position: 'Volgnummer',
  kpiLineId: 'KPI-lijn (nummer)',
  unitAmountCents: 'Bedrag per eenheid',
  // a call: its settings (libs/applications/src/call-settings.ts, audited under their keys with the stored value) and its copy
  copiedFromYear: 'Gekopieerd van projectjaar',
  submissionOpens: 'Indienen opent',
  submissionCloses: 'Indienen sluit',
  eligibilityThreshold: 'Drempel: inwoners van niet-EU-herkomst',
  originDefinition: 'Herkomstdefinitie',
  statisticsReferenceYear: 'Referentiejaar van de statistieken',
  onlyExistingApplicants: 'Enkel voortzettingen van een vorig projectjaar',
  applicantsOfYear: 'Voortzettingen van de projectindieners van projectjaar',
  cooperationStimulusEuro: 'Samenwerkingsstimulans',
  mentorshipStimulusEuro: 'Stimulans mentorschap',
  impactBondStimulusEuro: 'Stimulans sociale impact obligatie',
  advancePercent: 'Voorschot',
  interimThresholdPercent: 'Drempel tussentijds bereik voor verlenging',
  reclaimRule: 'Terugvordering',
  reclaimTolerancePercent: 'Tolerantie bij terugvordering',
  waiverApprovalThresholdEuro: 'Kwijtschelding vraagt een tweede persoon van ABB boven',
  projectStart: 'Start projectperiode',
  projectEnd: 'Einde projectperiode',
  budgetEuro: 'Budget',
  decisionDate: 'Beslissingsdatum',
  interimReportDue: 'Tussentijds rapport uiterlijk',
  finalReportDue: 'Eindrapport uiterlijk',
  signatoryName: 'Ondertekenaar van de beslissingsbrieven',
  signatoryFunction: 'Functie van de ondertekenaar',
  appealText: 'Beroepsmogelijkheden',
};

/** Bookkeeping the trail keeps for the API (a catalogue's version number): not a change a person made. */
const HIDDEN_FIELDS: ReadonlySet<string> = new Set(['catalogueVersion']);

/** Amounts in cents under a name that does not end in Cents: a call's euro settings are audited with their stored cents. */
const CENTS_FIELDS: ReadonlySet<string> = new Set([
  'budgetEuro',
  'cooperationStimulusEuro',
  'mentorshipStimulusEuro',
  'impactBondStimulusEuro',
  'waiverApprovalThresholdEuro',
]);

/** Values in Dutch that depend on their field. */
const FIELD_VALUE_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  reclaimRule: { 'pro-rata': 'in verhouding tot het niet-gerealiseerde deel', none: 'geen terugvordering' },
};

/** Enumerated values in Dutch (statuses the trail writes in English). */
const VALUE_NAMES: Readonly<Record<string, string>> = {
  draft: 'ontwerp',
  published: 'gepubliceerd',
  closed: 'afgesloten',
  submitted: 'ingediend',
  accepted: 'aanvaard',
  returned: 'teruggestuurd',
  interim: 'tussentijds rapport',
  final: 'eindrapport',
  municipality: 'gemeente',
  cooperation: 'samenwerkingsverband',
  'municipal-officer': 'medewerker lokaal bestuur',
  'abb-reviewer': 'dossierbehandelaar ABB',
  'abb-administrator': 'beheerder ABB',
  'vvsg-analyst': 'analist VVSG',
};

/** One changed field: its label, and the value before and after in words ("—" for none). */
export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

const NONE = '—';
const numberFormat = new Intl.NumberFormat('nl-BE');

/** The fields that differ between before and after, in the order they appear, each labelled and formatted. */
export function describeChanges(before: object | null, after: object | null): FieldChange[] {
  const was = flatten(before);
  const is = flatten(after);
  const changes: FieldChange[] = [];
  for (const path of new Set([...was.keys(), ...is.keys()])) {
    const from = was.get(path);
    const to = is.get(path);
    if ((from?.text ?? NONE) === (to?.text ?? NONE)) continue;
    changes.push({ field: (from ?? to)!.label, before: from?.text ?? NONE, after: to?.text ?? NONE });
  }
  return changes;
}

/** The value of a field in words: money ("€ 1.234,56") for a field in cents, an account in groups of four, dates in Brussels time. */
export function formatValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return NONE;
  if (typeof value === 'boolean') return value ? 'ja' : 'nee';
  if (typeof value === 'number') {
    if ((/Cents$/.test(field) || CENTS_FIELDS.has(field)) && Number.isSafeInteger(value)) return formatEuro(value);
    if (/Percent$/.test(field)) return `${numberFormat.format(value)} %`;
    // Years, numbers and ids are names, not quantities: no thousands separator.
    return /(^year|Year|Id|^number|Number|^position)$/.test(field) ? String(value) : numberFormat.format(value);
  }
  if (Array.isArray(value)) return value.length === 0 ? NONE : value.map((v) => formatValue(field, v)).join(', ');
  if (typeof value === 'string') {
    if (/iban$/i.test(field)) return value.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
    if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(value)) return formatBrussels(new Date(value));
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
    if (Object.hasOwn(FIELD_VALUE_NAMES, field) && Object.hasOwn(FIELD_VALUE_NAMES[field], value)) return FIELD_VALUE_NAMES[field][value];
    return Object.hasOwn(VALUE_NAMES, value) ? VALUE_NAMES[value] : value;
  }
  return JSON.stringify(value);
}

/** The label of a field: its dotted path or its own name in the table, else its name spelled out ("reviewComment" → "review comment"). */
export function fieldLabel(path: string): string {
  if (Object.hasOwn(FIELD_LABELS, path)) return FIELD_LABELS[path];
  // An application's priorities are kept per action number.
  const priority = /^priorities\.(\d+)$/.exec(path);
  if (priority) return `Prioriteit, actie ${priority[1]}`;
  const name = path.slice(path.lastIndexOf('.') + 1);
  if (Object.hasOwn(FIELD_LABELS, name)) return FIELD_LABELS[name];
  const words = name
    .replace(/Cents$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

interface Shown {
  label: string;
  text: string;
}

/** Path → label and text of every leaf; KPI lines are keyed by their id and named by their action and unit. */
function flatten(value: object | null): Map<string, Shown> {
  const out = new Map<string, Shown>();
  if (value) walk(value as Record<string, unknown>, '', out);
  return out;
}

const LINE_FIELD_LABELS: Readonly<Record<string, string>> = {
  planned: 'Gepland bereik',
  plannedReach: 'Gepland bereik',
  currentReach: 'Huidig bereik',
  confirmed: 'Bevestigd aantal',
  confirmedQuantity: 'Bevestigd aantal',
  realisedQuantity: 'Gerealiseerd aantal',
  interimRealised: 'Tussentijds gerealiseerd',
  motivationAccepted: 'Motivering aanvaard',
  comment: 'Opmerking',
};

function walk(value: Record<string, unknown>, prefix: string, out: Map<string, Shown>): void {
  for (const [key, v] of Object.entries(value)) {
    if (HIDDEN_FIELDS.has(key)) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(v) && v.length > 0 && v.every((item) => isLine(item))) {
      for (const line of v as Record<string, unknown>[]) walkLine(line, path, out);
    } else if (Array.isArray(v) && v.length === 0) {
      // Nothing to show: a field absent on one side reads "—" anyway.
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
      walk(v as Record<string, unknown>, path, out);
    } else {
      out.set(path, { label: fieldLabel(path), text: formatValue(key, v instanceof Date ? v.toISOString() : v) });
    }
  }
}

function isLine(item: unknown): boolean {
  return item !== null && typeof item === 'object' && ('kpiLine' in item || 'kpiLineId' in item);
}

/** "actie 5 (volwassen anderstaligen)" when the entry names the line's action and unit, else "KPI-lijn 12". */
function lineName(line: Record<string, unknown>): string {
  const id = line.kpiLine ?? line.kpiLineId;
  if (typeof line.action === 'number') return `actie ${line.action}${typeof line.unit === 'string' ? ` (${line.unit})` : ''}`;
  return `KPI-lijn ${String(id)}`;
}

function walkLine(line: Record<string, unknown>, path: string, out: Map<string, Shown>): void {
  const id = line.kpiLine ?? line.kpiLineId;
  const name = lineName(line);
  for (const [key, v] of Object.entries(line)) {
    if (['kpiLine', 'kpiLineId', 'action', 'unit'].includes(key)) continue;
    const label = Object.hasOwn(LINE_FIELD_LABELS, key) ? LINE_FIELD_LABELS[key] : fieldLabel(key);
    out.set(`${path}[${String(id)}].${key}`, { label: `${label}, ${name}`, text: formatValue(key, v) });
  }
}

/** Who acted, as a person reads it: the name of "Name <e-mail>" (the e-mail stays in the JSON of the API). */
export function actorName(label: string): string {
  const name = label.replace(/\s*<[^>]*>\s*$/, '').trim();
  return name || label;
}
