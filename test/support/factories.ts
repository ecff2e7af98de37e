/**
 * # The service-level test tier: factories on a real database
 *
 * Tests that need a state (an approved application, an applicant with members, a call with its catalogue)
 * start from it in a few lines instead of driving the whole workflow over HTTP. The factories use the libs'
 * services, obtained from a Nest application context on a database of the test file's own (PostgreSQL when
 * DATABASE_URL is set, else an in-memory PGlite), so every rule, audit row and refusal is the real one.
 * Reference data (calls 1..3, the menu of 24 actions, the KPI catalogues) is loaded; demo data is not, but the
 * demo's fictional reference regions and residents figures are, so local governments can be eligible.
 *
 * Files are named `test/service/*.service-spec.ts` (Jest project "service"). Share one app per file:
 *
 * ```ts
 * let f: Factories;
 * beforeAll(async () => (f = await startFactories()));
 * afterAll(() => f.close());
 *
 * it('knows what was granted', async () => {
 *   const call = await f.aCall({ year: 3, settings: { mentorshipStimulusEuro: 2500 } });
 *   const approved = await f.anApprovedApplication(call, {
 *     lines: [{ action: 5, planned: 10, confirmed: 8 }, { action: 9, planned: 2 }],
 *     stimuli: { mentorship: { action: 5, granted: true } },
 *   });
 *   expect(approved.application.confirmedTotalCents).toBe(approved.expected.confirmedTotalCents);
 * });
 * ```
 *
 * - `aCall({ year, settings, kpiLines })`: one of the reference calls, its settings changed through
 *   CallsAdministration (submission window opened around the clock unless `openForSubmission: false`).
 * - `anApplicant(call, { kind, lead, members, continues, ... })`: registered by the lead's officer, invitations
 *   accepted by the members' officers (or all at once by ABB), contact person, payout account and its signed letter.
 *   Without `lead`, eligible local governments nobody in the call has taken yet are picked (fictional figures).
 *   `continues: earlierApplicant` registers its continuation in a later call (year 3 admits only those).
 * - `aSubmittedApplication(call, { applicant, lines, stimuli })` and `anApprovedApplication(...)`: the draft saved
 *   and submitted by the lead's officer; reviewed and approved by an ABB reviewer with the confirmed quantities
 *   and the stimulus decisions. `expected` holds the cents computed here from the catalogue's unit amounts.
 * - `actors.officer(nisCodeOrId)`, `actors.reviewer()`, `actors.administrator()`: real users (created once per
 *   file: letters and four-eyes checks need real user ids), as the `Actor` a signed-in user would be.
 * A refusal of the services (Conflict, FieldErrors, ...) comes out of the factory unchanged.
 * Local governments are named by NIS code (string) or by id (number).
 */
import { ApplicantDetail, ApplicantKind, ApplicantRegistrationService, ContactPayoutService, DocumentsService } from '@ps/applicants';
import {
  Application,
  ApplicationsService,
  ReviewService,
  ApprovalInput,
  brusselsLocal,
  CallSettingKey,
  CallsAdministration,
  DraftInput,
  StimulusKind,
} from '@ps/applications';
import { Call, CatalogueService, KpiLine } from '@ps/catalogue';
import { Actor, actorFor, ApiTokensService, Role, UsersService } from '@ps/identity';
import { Type } from '@nestjs/common';
import { Cents, sumCents } from '@ps/kernel';
import { LocalGovernment, OrganisationsService } from '@ps/organisations';
import { demoSubmissionWindow } from '@ps/setup';
import { ONE_PAGE_PDF } from './pdf';
import { ServiceApp, ServiceAppOptions, startServiceApp } from './service-app';

/** A local government: its NIS code ("44021"), or its id. */
export type LocalGovernmentRef = string | number;

export interface CallOptions {
  /** The project year (1..3 in the reference data); by default the latest call that admits new applicants (year 3 admits only continuations). */
  year?: number;
  /** Settings as an administrator enters them (e.g. `{ budgetEuro: 1000000, mentorshipStimulusEuro: 2500 }`). */
  settings?: Partial<Record<CallSettingKey, unknown>>;
  /** Changes KPI lines of the catalogue (before any submission in the call): maximum and/or unit amount in euro. */
  kpiLines?: { action: number; position?: number; maxQuantity?: number; unitAmountEuro?: number | string }[];
  /** Opens the submission window around the clock (from a week ago to four weeks ahead) unless it is open. Default true. */
  openForSubmission?: boolean;
}

export interface CallFixture {
  id: number;
  year: number;
  nameNl: string;
  /** The call as stored now (settings, amounts in cents, version). */
  settings: Call;
  /** The KPI catalogue of the call. */
  kpiLines: KpiLine[];
  /** One KPI line by action and position (1 by default); throws when the call has no such line. */
  line(action: number, position?: number): KpiLine;
}

export interface ApplicantOptions {
  /** 'alone' (default) or 'cooperation'; 'vgc' and 'de-rand' need `lead`/`members` given. */
  kind?: ApplicantKind;
  /**
   * Continues an applicant of an earlier call (a call with "only existing applicants" admits nothing else):
   * same kind, lead and members unless given otherwise.
   */
  continues?: ApplicantFixture;
  lead?: LocalGovernmentRef;
  /** The other members (not the lead). */
  members?: LocalGovernmentRef[];
  /** For a cooperation picked automatically: at least this many members, the lead included (default 2). */
  size?: number;
  nameNl?: string;
  /** 'officers' (default): the lead's officer registers, each invited member's officer accepts. 'abb': a reviewer registers all members at once. */
  registeredBy?: 'officers' | 'abb';
  /** Contact person and payout account (default true); without them the application cannot be submitted. */
  contact?: boolean;
  payoutIban?: string;
  /** The signed confirmation letter for the payout account, when one is needed (default true). */
  ibanLetter?: boolean;
}

export interface LocalGovernmentFixture {
  id: number;
  nisCode: string | null;
  nameNl: string;
}

export interface ApplicantFixture {
  id: number;
  nameNl: string;
  kind: ApplicantKind;
  call: CallFixture;
  lead: LocalGovernmentFixture;
  /** Every member, the lead first. */
  members: LocalGovernmentFixture[];
  /** An officer of the lead: the one who starts and submits the application. */
  officer: Actor;
  /** The applicant as the service shows it after the factory's last step. */
  detail: ApplicantDetail;
}

export interface LineRequest {
  action: number;
  position?: number;
  planned: number;
  current?: number;
  /** What ABB confirms at approval: 0 up to `planned`; `planned` by default. */
  confirmed?: number;
}

export interface StimulusRequest {
  granted: boolean;
  /** The refusal reason when not granted (a default is filled in). */
  reason?: string;
}

export interface StimuliRequest {
  cooperation?: StimulusRequest;
  mentorship?: StimulusRequest & { action: number; motivation?: string };
  impactBond?: StimulusRequest & { actions: number[] };
}

export interface ApplicationOptions {
  /** The applicant, or how to make one (a new one, alone, by default). */
  applicant?: ApplicantFixture | ApplicantOptions;
  /**
   * The KPI lines with planned reach (default: action 5 line 1 for 10, action 9 line 1 for 2); every other line of the call
   * is saved at 0, also one a later year carried over. Priorities follow the order of the actions.
   */
  lines?: LineRequest[];
  /** Requested stimuli and ABB's decision on each (none by default). */
  stimuli?: StimuliRequest;
}

export interface ExpectedLine {
  kpiLineId: number;
  actionNumber: number;
  position: number;
  plannedReach: number;
  confirmedQuantity: number;
  unitAmountCents: Cents;
  /** confirmedQuantity × unitAmountCents. */
  confirmedCents: Cents;
}

export interface SubmittedFixture {
  id: number;
  call: CallFixture;
  applicant: ApplicantFixture;
  application: Application;
  /** The requested lines with what ABB confirms at approval (for an approved one: what it confirmed). */
  lines: ExpectedLine[];
  /** Priority per action number. */
  priorities: Record<number, number>;
}

export interface ApprovedFixture extends SubmittedFixture {
  /** Computed by the factory from the catalogue's unit amounts and the call's stimulus amounts, not by the service. */
  expected: {
    confirmedLinesCents: Cents;
    grantedStimuli: Partial<Record<StimulusKind, Cents>>;
    grantedStimuliCents: Cents;
    confirmedTotalCents: Cents;
  };
}

const DEFAULT_LINES: LineRequest[] = [
  { action: 5, planned: 10 },
  { action: 9, planned: 2 },
];
const DEFAULT_IBAN = 'BE68539007547034';

/** Boots the service app and returns the factories bound to it; `close()` stops it and drops its database. */
export async function startFactories(options: ServiceAppOptions = {}): Promise<Factories> {
  return new Factories(await startServiceApp(options));
}

export class Factories {
  readonly actors: Actors;
  private readonly names = new Map<string, number>();

  constructor(readonly service: ServiceApp) {
    this.actors = new Actors(service, (ref) => this.localGovernment(ref));
  }

  get clock() {
    return this.service.clock;
  }
  get dataSource() {
    return this.service.dataSource;
  }
  /** The HTTP server, when started with `startFactories({ http: true })`. */
  get http() {
    if (!this.service.http) throw new Error('start the factories with { http: true } to call the API');
    return this.service.http;
  }
  /** The address the pages are served on, when started with `startFactories({ listen: true })`. */
  get baseUrl(): string {
    if (!this.service.baseUrl) throw new Error('start the factories with { listen: true } to open the pages in a browser');
    return this.service.baseUrl;
  }
  /** A personal access token of the actor, for `Authorization: Bearer …`; valid for `validDays` from the clock's now. */
  async bearer(actor: Actor, validDays = 30): Promise<string> {
    return (await this.get(ApiTokensService).issue(actor, 'test', validDays)).secret;
  }
  get<T>(type: Type<T>): T {
    return this.service.get(type);
  }
  close(): Promise<void> {
    return this.service.close();
  }

  async localGovernment(ref: LocalGovernmentRef): Promise<LocalGovernmentFixture> {
    const organisations = this.get(OrganisationsService);
    let found: LocalGovernment | undefined;
    // A NIS code names the first local government that had it (Antwerpen before it absorbed Borsbeek: the reference calls are before 2025).
    if (typeof ref === 'string')
      found = (await organisations.search({ query: ref })).find((lg) => lg.nisCode === ref && lg.validFrom === null) ?? (await organisations.getByNisCode(ref));
    else found = (await organisations.search()).find((lg) => lg.id === ref);
    if (!found) throw new Error(`No local government with id ${ref}.`);
    return { id: found.id, nisCode: found.nisCode, nameNl: found.nameNl };
  }

  /** A reference call with the settings and KPI amounts asked for, open for submission around the clock. */
  async aCall(options: CallOptions = {}): Promise<CallFixture> {
    const catalogue = this.get(CatalogueService);
    const year = options.year ?? (await catalogue.listCalls()).filter((c) => !c.onlyExistingApplicants).pop()!.yearNumber;
    const admin = await this.actors.administrator();
    const calls = this.get(CallsAdministration);
    let call = await catalogue.getCallByYear(year);
    const change: Partial<Record<CallSettingKey, unknown>> = { ...options.settings };
    const now = this.clock.now();
    const open = call.submissionOpensAt <= now && now <= call.submissionClosesAt;
    if ((options.openForSubmission ?? true) && !open && !('submissionOpens' in change) && !('submissionCloses' in change)) {
      const window = demoSubmissionWindow(now);
      change.submissionOpens = brusselsLocal(window.opensAt);
      change.submissionCloses = brusselsLocal(window.closesAt);
    }
    if (Object.keys(change).length > 0) await calls.updateSettings(admin, year, { ...change, version: call.version });
    for (const edit of options.kpiLines ?? []) {
      call = await catalogue.getCallByYear(year);
      const line = lineOf(await kpiLinesOf(catalogue, call), edit.action, edit.position ?? 1);
      await calls.updateKpiLine(admin, year, line.id, {
        maxQuantity: edit.maxQuantity ?? line.maxQuantity,
        unitAmountEuro: edit.unitAmountEuro ?? String(line.unitAmountCents / 100).replace('.', ','),
        version: call.version,
      });
    }
    return this.callFixture(year);
  }

  /** The call of a project year as stored now, without changing anything. */
  async callFixture(year: number): Promise<CallFixture> {
    const catalogue = this.get(CatalogueService);
    const call = await catalogue.getCallByYear(year);
    const kpiLines = await kpiLinesOf(catalogue, call);
    return {
      id: call.id,
      year: call.yearNumber,
      nameNl: call.nameNl,
      settings: call,
      kpiLines,
      line: (action, position = 1) => lineOf(kpiLines, action, position),
    };
  }

  /** An applicant of the call with its members confirmed, contact person, payout account and letter. */
  async anApplicant(call: CallFixture, options: ApplicantOptions = {}): Promise<ApplicantFixture> {
    const earlier = options.continues;
    const kind = options.kind ?? earlier?.kind ?? 'alone';
    const applicants = this.get(ApplicantRegistrationService);
    const contactPayout = this.get(ContactPayoutService);
    const leadRef = options.lead ?? earlier?.lead.id;
    const memberRefs = options.members ?? earlier?.members.slice(1).map((m) => m.id) ?? [];
    const [lead, ...others] =
      leadRef !== undefined
        ? await Promise.all([leadRef, ...memberRefs].map((ref) => this.localGovernment(ref)))
        : await this.freeEligible(call, kind, options.size ?? 2);
    const officer = await this.actors.officer(lead.id);
    const viaAbb = options.registeredBy === 'abb';
    const registrar = viaAbb ? await this.actors.reviewer() : officer;
    let detail = await applicants.register(
      registrar,
      {
        year: call.year,
        kind,
        leadLocalGovernmentId: lead.id,
        memberLocalGovernmentIds: others.map((m) => m.id),
        nameNl: options.nameNl ?? earlier?.nameNl ?? this.uniqueName(kind, lead),
        carriedOverFromId: earlier?.id,
      },
      !viaAbb,
    );
    for (const member of detail.members.filter((m) => m.state === 'invited')) {
      detail = await applicants.acceptInvitation(await this.actors.officer(member.localGovernmentId), detail.id, member.localGovernmentId);
    }
    if (options.contact ?? true) {
      detail = await contactPayout.updateContact(officer, detail.id, {
        contactName: `Contact ${lead.nameNl}`,
        contactEmail: `contact@${slugOf(lead.nameNl)}.test`,
        contactPhone: '09 266 55 00',
        payoutIban: options.payoutIban ?? DEFAULT_IBAN,
        version: detail.version,
      });
      if (detail.ibanLetterRequired && (options.ibanLetter ?? true)) {
        await this.get(DocumentsService).uploadIbanLetter(officer, detail.id, {
          originalname: 'bevestigingsbrief.pdf',
          mimetype: 'application/pdf',
          size: ONE_PAGE_PDF.length,
          buffer: ONE_PAGE_PDF,
        });
        detail = (await applicants.get(detail.id))!;
      }
    }
    return { id: detail.id, nameNl: detail.nameNl, kind: detail.kind, call, lead, members: [lead, ...others], officer, detail };
  }

  /** An application with the lines and stimuli asked for, saved and submitted by the lead's officer. */
  async aSubmittedApplication(given: CallFixture, options: ApplicationOptions = {}): Promise<SubmittedFixture> {
    // The catalogue as it is now, should a test have changed it since it got `given`.
    const call = await this.callFixture(given.year);
    const applicant = isApplicant(options.applicant) ? options.applicant : await this.anApplicant(call, options.applicant ?? {});
    const applications = this.get(ApplicationsService);
    const requests = options.lines ?? DEFAULT_LINES;
    const lines = requests.map((request): ExpectedLine => {
      const line = call.line(request.action, request.position ?? 1);
      const confirmed = request.confirmed ?? request.planned;
      return {
        kpiLineId: line.id,
        actionNumber: line.actionNumber,
        position: line.position,
        plannedReach: request.planned,
        confirmedQuantity: confirmed,
        unitAmountCents: line.unitAmountCents,
        confirmedCents: confirmed * line.unitAmountCents,
      };
    });
    const actions = [...new Set(lines.filter((l) => l.plannedReach > 0).map((l) => l.actionNumber))];
    const priorities = Object.fromEntries(actions.map((action, i) => [action, i + 1]));
    const stimuli = options.stimuli ?? {};
    const draft: DraftInput = {
      lines: [
        ...requests.map((request, i) => ({ kpiLineId: lines[i].kpiLineId, plannedReach: request.planned, currentReach: request.current ?? 0 })),
        ...call.kpiLines
          .filter((line) => !lines.some((l) => l.kpiLineId === line.id))
          .map((line) => ({ kpiLineId: line.id, plannedReach: 0, currentReach: 0 })),
      ],
      priorities: actions.map((actionNumber) => ({ actionNumber, priority: priorities[actionNumber] })),
      cooperationStimulus: !!stimuli.cooperation,
      mentorship: stimuli.mentorship
        ? { actionNumber: stimuli.mentorship.action, motivation: stimuli.mentorship.motivation ?? 'Wij coachen de buurgemeenten in hun werking.' }
        : null,
      impactBond: stimuli.impactBond
        ? {
            expertise: 'Ervaring met sociale economie',
            problem: 'Vroegtijdig schoolverlaten',
            actionNumbers: stimuli.impactBond.actions,
            learningNetwork: true,
          }
        : null,
    };
    let application = await applications.start(applicant.officer, applicant.id);
    application = await applications.saveDraft(applicant.officer, application.id, application.version, draft);
    application = await applications.submit(applicant.officer, application.id, application.version);
    return { id: application.id, call, applicant, application, lines, priorities };
  }

  /**
   * A submitted application reviewed and approved by an ABB reviewer: every requested line confirmed (its `confirmed`,
   * else its planned reach), every requested stimulus granted or refused as asked.
   */
  async anApprovedApplication(call: CallFixture, options: ApplicationOptions = {}): Promise<ApprovedFixture> {
    const submitted = await this.aSubmittedApplication(call, options);
    const applications = this.get(ApplicationsService);
    const reviewer = await this.actors.reviewer();
    const stimuli = options.stimuli ?? {};
    let application = await applications.startReview(reviewer, submitted.id, submitted.application.version);
    const decisions: ApprovalInput['stimuli'] = {};
    for (const kind of ['cooperation', 'mentorship', 'impactBond'] as const) {
      const request = stimuli[kind];
      if (request) decisions[kind] = request.granted ? { granted: true } : { granted: false, reason: request.reason ?? 'Niet toegekend in deze test.' };
    }
    application = await this.get(ReviewService).approve(reviewer, submitted.id, {
      version: application.version,
      confirmed: submitted.lines.filter((l) => l.plannedReach > 0).map((l) => ({ kpiLineId: l.kpiLineId, quantity: l.confirmedQuantity })),
      stimuli: decisions,
    });
    const { settings } = submitted.call;
    const amounts: Record<StimulusKind, Cents | null> = {
      cooperation: settings.cooperationStimulusCents,
      mentorship: settings.mentorshipStimulusCents,
      impactBond: settings.impactBondStimulusCents,
    };
    const grantedStimuli: Partial<Record<StimulusKind, Cents>> = {};
    for (const kind of ['cooperation', 'mentorship', 'impactBond'] as const) if (stimuli[kind]?.granted) grantedStimuli[kind] = amounts[kind] ?? 0;
    const confirmedLinesCents = sumCents(submitted.lines.map((l) => l.confirmedCents));
    const grantedStimuliCents = sumCents(Object.values(grantedStimuli));
    return {
      ...submitted,
      application,
      expected: { confirmedLinesCents, grantedStimuli, grantedStimuliCents, confirmedTotalCents: confirmedLinesCents + grantedStimuliCents },
    };
  }

  /**
   * Eligible local governments that take part in nothing in the call yet: alone, the first municipality above the
   * threshold; a cooperation, the largest free ones of one reference region until together above the threshold.
   */
  private async freeEligible(call: CallFixture, kind: ApplicantKind, size: number): Promise<LocalGovernmentFixture[]> {
    const { rows } = await this.get(ApplicantRegistrationService).coverage(call.year, {});
    const free = rows.filter((row) => row.applicantId === null && row.residents !== null && !this.picked.has(row.nisCode));
    const threshold = call.settings.eligibilityThreshold;
    let chosen: typeof free = [];
    if (kind === 'alone') {
      chosen = free.filter((row) => row.residents! > threshold).slice(0, 1);
    } else if (kind === 'cooperation') {
      const byRegion = new Map<number, typeof free>();
      for (const row of free) if (row.regionId !== null) byRegion.set(row.regionId, [...(byRegion.get(row.regionId) ?? []), row]);
      for (const members of byRegion.values()) {
        const largest = [...members].sort((a, b) => b.residents! - a.residents! || a.nisCode.localeCompare(b.nisCode));
        const pick: typeof free = [];
        for (const row of largest) {
          if (pick.length >= size && total(pick) > threshold) break;
          pick.push(row);
        }
        if (pick.length >= size && total(pick) > threshold) {
          chosen = pick;
          break;
        }
      }
    } else {
      throw new Error(`anApplicant: name the lead and members of a "${kind}" applicant.`);
    }
    if (chosen.length === 0) throw new Error(`anApplicant: no free eligible local governments left for a "${kind}" applicant in ${call.nameNl}.`);
    for (const row of chosen) this.picked.add(row.nisCode);
    return Promise.all(chosen.map((row) => this.localGovernment(row.nisCode)));
  }

  /** Picked but maybe refused later: never picked twice, so a refused registration does not repeat itself. */
  private readonly picked = new Set<string>();

  private uniqueName(kind: ApplicantKind, lead: LocalGovernmentFixture): string {
    const base = kind === 'cooperation' ? `Samenwerkingsverband ${lead.nameNl} e.a.` : kind === 'alone' ? lead.nameNl : `${lead.nameNl} (${kind})`;
    const n = (this.names.get(base) ?? 0) + 1;
    this.names.set(base, n);
    return n === 1 ? base : `${base} ${n}`;
  }
}

/** Real users, created once per app, as the actor a signed-in user (session) would be. */
export class Actors {
  private readonly cache = new Map<string, Promise<Actor>>();

  constructor(
    private readonly service: ServiceApp,
    private readonly localGovernment: (ref: LocalGovernmentRef) => Promise<LocalGovernmentFixture>,
  ) {}

  /** An officer (municipal-officer) of the local government. */
  async officer(ref: LocalGovernmentRef): Promise<Actor> {
    const lg = await this.localGovernment(ref);
    return this.user('municipal-officer', lg.id, `medewerker-${lg.nisCode ?? `lb${lg.id}`}@service.test`, `Medewerker ${lg.nameNl}`);
  }

  reviewer(): Promise<Actor> {
    return this.user('abb-reviewer', null, 'beoordelaar@service.test', 'Bart Beoordelaar (ABB)');
  }

  administrator(): Promise<Actor> {
    return this.user('abb-administrator', null, 'beheerder@service.test', 'An Beheerder (ABB)');
  }

  /** Another user of a role, e.g. a second ABB administrator for four-eyes checks; `name` tells them apart. */
  another(role: Exclude<Role, 'municipal-officer'>, name: string): Promise<Actor> {
    return this.user(role, null, `${slugOf(name)}@service.test`, name);
  }

  private user(role: Role, localGovernmentId: number | null, email: string, displayName: string): Promise<Actor> {
    const key = email;
    let actor = this.cache.get(key);
    if (!actor) {
      actor = this.service
        .get(UsersService)
        .createWithPassword(SETUP_ACTOR, { email, displayName, role, localGovernmentId, password: 'een lang wachtwoord voor tests' })
        .then((user) => actorFor(user, 'session'));
      // A failed creation is not cached, so the next call says why again.
      actor.catch(() => this.cache.delete(key));
      this.cache.set(key, actor);
    }
    return actor;
  }
}

const SETUP_ACTOR: Actor = { userId: null, label: 'testopzet', role: null, localGovernmentId: null, via: 'cli' };

const total = (rows: { residents: number | null }[]) => rows.reduce((sum, row) => sum + (row.residents ?? 0), 0);

function isApplicant(value: ApplicationOptions['applicant']): value is ApplicantFixture {
  return !!value && 'detail' in value;
}

async function kpiLinesOf(catalogue: CatalogueService, call: Call): Promise<KpiLine[]> {
  return (await catalogue.menu(call)).flatMap((objective) => objective.actions.flatMap((action) => action.kpiLines));
}

function lineOf(lines: KpiLine[], action: number, position: number): KpiLine {
  const line = lines.find((l) => l.actionNumber === action && l.position === position);
  if (!line) throw new Error(`The call has no KPI line ${action}.${position}; it has ${lines.map((l) => `${l.actionNumber}.${l.position}`).join(', ')}.`);
  return line;
}

function slugOf(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** What a call needs before it can be published beyond its dates and menu: the decision letters' signatory and means of appeal. */
export const DECISION_LETTER_SETTINGS = {
  signatoryName: 'An Peeters',
  signatoryFunction: 'Afdelingshoofd Binnenlands Bestuur',
  appealText: 'Tegen deze beslissing kunt u binnen dertig dagen na de kennisgeving beroep instellen bij de Vlaamse Regering.',
};
