import { between, pick, Random, shuffled, streamFor } from './prng';

/**
 * What the data generator writes, decided without a database: which local governments apply (alone, in
 * cooperations inside one reference region, VGC, De Rand with the facility municipalities), the synthetic local
 * governments of the extra replicas at scale N, and per unit (one applicant in every project year) its applicants,
 * members, applications with KPI lines and priorities, the review and the accepted KPI reports. Deterministic from
 * the seed; every unit draws from a stream of its own, so its rows do not depend on the batch they are written in.
 */

export interface SourceLocalGovernment {
  id: number;
  nisCode: string | null;
  kind: 'municipality' | 'vgc' | 'de-rand';
  nameNl: string;
  arrondissementNl: string | null;
  provinceNl: string | null;
  inhabitants: number | null;
  facility: boolean;
  regionId: number | null;
}

export interface SourceKpiLine {
  id: number;
  actionNumber: number;
  maxQuantity: number;
  unitAmountCents: number;
}

export interface SourceCall {
  id: number;
  yearNumber: number;
  catalogueVersion: number;
  /** Instants in ms since the epoch. */
  opensAt: number;
  closesAt: number;
  /** 'YYYY-MM-DD' or null. */
  decisionDate: string | null;
  interimDueAt: number | null;
  finalDueAt: number | null;
  interimThresholdPercent: number;
  cooperationStimulusCents: number;
  /** The KPI lines of the funded actions, in id order. */
  kpiLines: SourceKpiLine[];
}

export type ApplicantKind = 'alone' | 'cooperation' | 'vgc' | 'de-rand';

export interface TemplateApplicant {
  kind: ApplicantKind;
  leadId: number;
  /** The lead first, then the other members. */
  memberIds: number[];
}

/** At 1×: VGC alone (1), De Rand with the six facility municipalities (7), 35 alone, 22 cooperations of 104: 147 local governments in 59 applicants. */
export const SHAPE = { alone: 35, cooperations: 22, cooperationMembers: 104, minMembers: 3, maxMembers: 7 };
export const TEMPLATE_APPLICANTS = 2 + SHAPE.alone + SHAPE.cooperations;
export const TEMPLATE_LOCAL_GOVERNMENTS = 1 + 7 + SHAPE.alone + SHAPE.cooperationMembers;

/** Synthetic local governments get ids from here on (the real ones come from the sequence, far below). */
export const SYNTHETIC_ID_BASE = 100_000;
/** NIS codes outside the Flemish ranges (1xxxx, 2xxxx, 3xxxx, 4xxxx, 7xxxx): never a real Flemish municipality. */
const SYNTHETIC_NIS_RANGES: [number, number][] = [
  [1, 9_999],
  [50_000, 69_999],
  [80_000, 99_999],
];
const SYNTHETIC_CAPACITY = SYNTHETIC_NIS_RANGES.reduce((sum, [from, to]) => sum + to - from + 1, 0);
export const MAX_SCALE = 1 + Math.floor(SYNTHETIC_CAPACITY / TEMPLATE_LOCAL_GOVERNMENTS);

/** Actions whose report always needs a motivation: action plans, correspondence tests, pleinmakers. */
const ALWAYS_MOTIVATED = new Set([2, 16, 18, 19, 22]);
const APPROACHES = [
  'Samen met de lokale partners volgens plan uitgevoerd.',
  'Wekelijkse sessies in het buurthuis.',
  'Via de sociale dienst en het onderwijs bereikt.',
  'Groepsaanbod aangevuld met individuele begeleiding.',
  'Outreachend gewerkt in de wijken.',
];
const PARTNERS = ['AgII', 'AgII, lokale vzw', 'OCMW en lokale vzw', 'Eigen diensten', ''];
const MOTIVATIONS = [
  'Later gestart door de aanwerving van een begeleider.',
  'Minder deelnemers dan verwacht; aanpak bijgestuurd.',
  'Actieplan goedgekeurd door de gemeenteraad.',
  'Resultaat zoals gepland; toelichting bij het actieplan.',
];
const DAY = 86_400_000;

/**
 * The applicants at 1×, from the real local governments: the 35 largest municipalities (by inhabitants) apply alone,
 * 22 cooperations of 3 to 7 smaller ones form inside one reference region each (seeded), VGC alone and De Rand with the
 * facility municipalities. Throws when the database lacks them (load the reference data first).
 */
export function composeTemplate(seed: number, localGovernments: readonly SourceLocalGovernment[]): TemplateApplicant[] {
  const random = streamFor(seed, 0);
  const vgc = localGovernments.find((lg) => lg.kind === 'vgc');
  const deRand = localGovernments.find((lg) => lg.kind === 'de-rand');
  const facility = localGovernments.filter((lg) => lg.kind === 'municipality' && lg.facility).sort((a, b) => a.id - b.id);
  if (!vgc || !deRand || facility.length !== 6) throw new Error('the reference data (VGC, vzw De Rand, the six facility municipalities) is missing');

  const candidates = localGovernments
    .filter((lg) => lg.kind === 'municipality' && !lg.facility)
    .sort((a, b) => (b.inhabitants ?? 0) - (a.inhabitants ?? 0) || String(a.nisCode).localeCompare(String(b.nisCode)));
  const alone = candidates.slice(0, SHAPE.alone);
  const byRegion = new Map<number, SourceLocalGovernment[]>();
  for (const lg of candidates.slice(SHAPE.alone)) {
    if (lg.regionId === null) continue;
    byRegion.set(lg.regionId, [...(byRegion.get(lg.regionId) ?? []), lg]);
  }
  const regions = [...byRegion.keys()].sort((a, b) => a - b);
  const remaining = new Map(regions.map((region) => [region, shuffled(random, byRegion.get(region)!)]));

  const sizes = Array<number>(SHAPE.cooperations).fill(4);
  for (let extra = SHAPE.cooperationMembers - 4 * SHAPE.cooperations; extra > 0;) {
    const index = Math.floor(random() * sizes.length);
    if (sizes[index] < SHAPE.maxMembers) {
      sizes[index]++;
      extra--;
    }
  }
  const cooperations: TemplateApplicant[] = [];
  for (const size of sizes) {
    const eligible = regions.filter((region) => remaining.get(region)!.length >= size);
    if (eligible.length === 0) throw new Error(`no reference region has ${size} municipalities left for a cooperation`);
    const members = remaining.get(pick(random, eligible))!.splice(0, size);
    const lead = members.reduce((a, b) => ((b.inhabitants ?? 0) > (a.inhabitants ?? 0) ? b : a));
    cooperations.push({ kind: 'cooperation', leadId: lead.id, memberIds: [lead.id, ...members.filter((m) => m !== lead).map((m) => m.id)] });
  }
  return [
    { kind: 'vgc', leadId: vgc.id, memberIds: [vgc.id] },
    { kind: 'de-rand', leadId: deRand.id, memberIds: [deRand.id, ...facility.map((lg) => lg.id)] },
    ...alone.map((lg): TemplateApplicant => ({ kind: 'alone', leadId: lg.id, memberIds: [lg.id] })),
    ...cooperations,
  ];
}

/** The template's local governments in order (the members of each applicant in turn). */
export const templateMembers = (template: readonly TemplateApplicant[]): number[] => template.flatMap((applicant) => applicant.memberIds);

/** The j-th synthetic NIS code (j from 0). */
export function syntheticNisCode(j: number): string {
  let offset = j;
  for (const [from, to] of SYNTHETIC_NIS_RANGES) {
    if (offset <= to - from) return String(from + offset).padStart(5, '0');
    offset -= to - from + 1;
  }
  throw new Error(`no synthetic NIS code left for ${j}`);
}

export interface SyntheticLocalGovernment {
  id: number;
  nisCode: string;
  nameNl: string;
  arrondissementNl: string | null;
  provinceNl: string | null;
  inhabitants: number | null;
  regionId: number | null;
  templateId: number;
}

/**
 * Replica k (1..scale-1) mirrors the template's local governments: same province, arrondissement, reference region and
 * inhabitants, a name that says it is fictional and a NIS code outside the Flemish ranges.
 */
export function syntheticLocalGovernments(template: readonly TemplateApplicant[], real: ReadonlyMap<number, SourceLocalGovernment>, scale: number) {
  const members = templateMembers(template);
  const rows: SyntheticLocalGovernment[] = [];
  for (let k = 1; k < scale; k++) {
    members.forEach((templateId, index) => {
      const j = (k - 1) * members.length + index;
      const source = real.get(templateId)!;
      rows.push({
        id: SYNTHETIC_ID_BASE + j + 1,
        nisCode: syntheticNisCode(j),
        nameNl: `${source.nameNl} (fictief ${k})`,
        arrondissementNl: source.arrondissementNl,
        provinceNl: source.provinceNl,
        inhabitants: source.inhabitants,
        regionId: source.regionId,
        templateId,
      });
    });
  }
  return rows;
}

/** The local government of replica k that mirrors a template one. */
export function replicaId(members: readonly number[], indexOf: ReadonlyMap<number, number>, k: number, templateId: number): number {
  return k === 0 ? templateId : SYNTHETIC_ID_BASE + (k - 1) * members.length + indexOf.get(templateId)! + 1;
}

// ---- rows, column by column (written with unnest) ----

type Column = [name: string, type: string];

/** Each table's columns as the generator writes them, with their SQL array types. */
export const TABLES = {
  applicant: [
    ['id', 'integer'],
    ['call_id', 'integer'],
    ['kind', 'varchar'],
    ['name_nl', 'varchar'],
    ['lead_local_government_id', 'integer'],
    ['carried_over_from_id', 'integer'],
    ['contact_name', 'varchar'],
    ['contact_email', 'varchar'],
    ['contact_phone', 'varchar'],
    ['payout_iban', 'varchar'],
    ['confirmed_payout_iban', 'varchar'],
    ['created_at', 'timestamptz'],
  ],
  applicant_member: [
    ['applicant_id', 'integer'],
    ['call_id', 'integer'],
    ['local_government_id', 'integer'],
  ],
  application: [
    ['id', 'integer'],
    ['applicant_id', 'integer'],
    ['call_id', 'integer'],
    ['status', 'varchar'],
    ['catalogue_version', 'integer'],
    ['previous_application_id', 'integer'],
    ['cooperation_stimulus', 'boolean'],
    ['cooperation_stimulus_granted', 'boolean'],
    ['cooperation_stimulus_granted_cents', 'bigint'],
    ['submitted_at', 'timestamptz'],
    ['decided_at', 'timestamptz'],
    ['decision_reason', 'varchar'],
    ['created_at', 'timestamptz'],
  ],
  application_action: [
    ['application_id', 'integer'],
    ['action_number', 'smallint'],
    ['priority', 'smallint'],
  ],
  application_line: [
    ['application_id', 'integer'],
    ['kpi_line_id', 'integer'],
    ['current_reach', 'integer'],
    ['planned_reach', 'integer'],
    ['contribution_cents', 'bigint'],
    ['confirmed_quantity', 'integer'],
    ['confirmed_contribution_cents', 'bigint'],
    ['interim_realised', 'integer'],
    ['interim_from_report', 'boolean'],
  ],
  kpi_report: [
    ['id', 'integer'],
    ['application_id', 'integer'],
    ['kind', 'varchar'],
    ['status', 'varchar'],
    ['submitted_at', 'timestamptz'],
    ['reviewed_by_label', 'varchar'],
    ['reviewed_at', 'timestamptz'],
  ],
  kpi_report_line: [
    ['report_id', 'integer'],
    ['kpi_line_id', 'integer'],
    ['realised_quantity', 'integer'],
    ['approach', 'varchar'],
    ['partners', 'varchar'],
    ['motivation', 'varchar'],
    ['motivation_accepted', 'boolean'],
  ],
} satisfies Record<string, Column[]>;

export type TableName = keyof typeof TABLES;
/** Per table, one array per column (in TABLES order). */
export type Batch = Record<TableName, unknown[][]>;

export const emptyBatch = (): Batch => Object.fromEntries(Object.entries(TABLES).map(([table, columns]) => [table, columns.map(() => [])])) as unknown as Batch;

const push = (batch: Batch, table: TableName, ...values: unknown[]) => values.forEach((value, c) => batch[table][c].push(value));
export const rowCount = (batch: Batch, table: TableName): number => batch[table][0].length;

const iso = (ms: number | null) => (ms === null ? null : new Date(Math.floor(ms / 1000) * 1000).toISOString());

/** A valid Belgian IBAN (account check mod 97, IBAN check digits), fictional, from a number. */
export function belgianIban(n: number): string {
  const account = 7_000_000_000 + (n % 1_000_000_000);
  const bban = `${account}${String(account % 97 || 97).padStart(2, '0')}`;
  let remainder = 0;
  for (const char of `${bban}111400`) remainder = (remainder * 10 + Number(char)) % 97;
  return `BE${String(98 - remainder).padStart(2, '0')}${bban}`;
}

export interface UnitContext {
  seed: number;
  calls: readonly SourceCall[];
  template: readonly TemplateApplicant[];
  /** The template's members in order and the position of each. */
  members: readonly number[];
  indexOf: ReadonlyMap<number, number>;
  /** Names of every local government used (real and synthetic), by id. */
  nameOf: (id: number) => string;
}

/** Ids: applicant and application u·years + y + 1; reports 2·application − 1 (interim) and 2·application (final). */
export const applicantId = (years: number, unit: number, y: number) => unit * years + y + 1;

/** Appends unit u's rows for every project year to the batch. */
export function unitRows(context: UnitContext, unit: number, batch: Batch): void {
  const { seed, calls, template, members, indexOf, nameOf } = context;
  const k = Math.floor(unit / template.length);
  const shape = template[unit % template.length];
  const kind: ApplicantKind = k === 0 ? shape.kind : shape.kind === 'vgc' ? 'alone' : shape.kind === 'de-rand' ? 'cooperation' : shape.kind;
  const memberIds = shape.memberIds.map((id) => replicaId(members, indexOf, k, id));
  const leadName = nameOf(memberIds[0]);
  const name =
    kind === 'vgc'
      ? 'Vlaamse Gemeenschapscommissie'
      : kind === 'de-rand'
        ? 'vzw De Rand en de faciliteitengemeenten'
        : kind === 'cooperation'
          ? `Samenwerkingsverband ${leadName} e.a.`
          : leadName;
  const own = streamFor(seed, 1, unit);
  const iban = belgianIban(between(own, 0, 999_999) * 1000 + (unit % 1000));
  const contact = {
    name: `Contactpersoon ${unit + 1}`,
    email: `aanvrager-${unit + 1}@voorbeeld.test`,
    phone: `+3292${String(between(own, 0, 9_999_999)).padStart(7, '0')}`,
  };

  calls.forEach((call, y) => {
    const random = streamFor(seed, 2, unit, y);
    const id = applicantId(calls.length, unit, y);
    const previous = y === 0 ? null : id - 1;
    const submittedAt = call.opensAt + Math.floor(random() * 0.95 * (call.closesAt - call.opensAt));
    const createdAt = call.opensAt + Math.floor(0.3 * (submittedAt - call.opensAt));
    const draw = random();
    const status = draw < 0.9 ? 'goedgekeurd' : draw < 0.95 ? 'afgewezen' : 'terug-naar-aanvrager';
    const approved = status === 'goedgekeurd';
    const decidedAt =
      status === 'terug-naar-aanvrager' ? null : call.decisionDate ? Date.parse(`${call.decisionDate}T10:00:00+02:00`) : call.closesAt + 60 * DAY;
    const reason =
      status === 'afgewezen'
        ? 'De aanvraag voldoet niet aan de voorwaarden (gegenereerd).'
        : status === 'terug-naar-aanvrager'
          ? 'Graag de geplande aantallen verduidelijken (gegenereerd).'
          : null;
    const stimulus = kind === 'cooperation' && random() < 0.5;

    push(
      batch,
      'applicant',
      id,
      call.id,
      kind,
      name,
      memberIds[0],
      previous,
      contact.name,
      contact.email,
      contact.phone,
      iban,
      approved ? iban : null,
      iso(createdAt),
    );
    for (const member of memberIds) push(batch, 'applicant_member', id, call.id, member);
    push(
      batch,
      'application',
      id,
      id,
      call.id,
      status,
      call.catalogueVersion,
      previous,
      stimulus,
      stimulus && approved ? true : null,
      stimulus && approved ? call.cooperationStimulusCents : null,
      iso(submittedAt),
      iso(decidedAt),
      reason,
      iso(createdAt),
    );

    const actions = [...new Set(call.kpiLines.map((line) => line.actionNumber))];
    const chosen = shuffled(random, actions).slice(0, between(random, Math.ceil(actions.length * 0.6), actions.length));
    chosen.forEach((action, index) => push(batch, 'application_action', id, action, index + 1));
    const chosenSet = new Set(chosen);

    const interim = approved && call.interimDueAt !== null;
    const final = approved && call.finalDueAt !== null;
    const reports: { id: number; kind: 'interim' | 'final'; due: number }[] = [];
    if (interim) reports.push({ id: 2 * id - 1, kind: 'interim', due: call.interimDueAt! });
    if (final) reports.push({ id: 2 * id, kind: 'final', due: call.finalDueAt! });
    for (const report of reports) {
      push(
        batch,
        'kpi_report',
        report.id,
        id,
        report.kind,
        'accepted',
        iso(report.due - between(random, 1, 20) * DAY),
        'generator',
        iso(report.due + between(random, 1, 30) * DAY),
      );
    }

    for (const line of call.kpiLines) {
      if (!chosenSet.has(line.actionNumber)) {
        push(batch, 'application_line', id, line.id, 0, 0, 0, approved ? 0 : null, approved ? 0 : null, null, false);
        continue;
      }
      const planned = line.maxQuantity === 1 ? 1 : between(random, Math.max(1, Math.floor(line.maxQuantity * 0.2)), line.maxQuantity);
      const current = between(random, 0, planned);
      const confirmed = approved ? (random() < 0.8 ? planned : Math.max(1, Math.floor(planned * (0.5 + 0.5 * random())))) : null;
      let interimRealised: number | null = null;
      for (const report of reports) {
        const realised = realisedQuantity(random, report.kind, confirmed!);
        if (report.kind === 'interim') interimRealised = realised;
        const missed = report.kind === 'final' ? realised < confirmed! : realised * 100 < confirmed! * call.interimThresholdPercent;
        const motivation = missed || ALWAYS_MOTIVATED.has(line.actionNumber) ? pick(random, MOTIVATIONS) : '';
        push(batch, 'kpi_report_line', report.id, line.id, realised, pick(random, APPROACHES), pick(random, PARTNERS), motivation, motivation !== '');
      }
      push(
        batch,
        'application_line',
        id,
        line.id,
        current,
        planned,
        planned * line.unitAmountCents,
        confirmed,
        confirmed === null ? null : confirmed * line.unitAmountCents,
        interimRealised,
        interimRealised !== null,
      );
    }
  });
}

function realisedQuantity(random: Random, kind: 'interim' | 'final', confirmed: number): number {
  if (confirmed === 1) return kind === 'final' ? (random() < 0.9 ? 1 : 0) : random() < 0.4 ? 1 : 0;
  return kind === 'final' ? Math.round(confirmed * (0.6 + 0.7 * random())) : Math.round(confirmed * (0.15 + 0.6 * random()));
}
