import { brusselsDateOf, Clock, KeptPerVersion, NotFound, Page, PageRequest, pageBounds, withTotal } from '@ps/kernel';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditActor, AuditService } from '@ps/audit';
import { inTransaction } from '@ps/database';
import { LocalGovernment } from './organisations.entities';
import { LocalGovernmentSearch, OrganisationsRepository } from './organisations.repository';
import { municipalityForDay, planMergers } from './merger-import';
import { OrganisationReadModel } from './organisation.read-model';
import { RegionRow, StatisticRow, validateRegions, validateStatistics } from './statistics-import';

/** Imports run at start-up or from the CLI record the system as their actor unless told otherwise. */
const SYSTEM: AuditActor = { userId: null, label: 'systeem' };

export type { LocalGovernmentSearch } from './organisations.repository';

export type ImportProgress = (done: number, total: number) => void;

export interface ImportOptions {
  actor?: AuditActor;
  fictional?: boolean;
  onProgress?: ImportProgress;
  /** Told which derived figures (a successor's sum of its predecessors') the import replaced with a figure of its own. */
  onReplacedDerived?: (replaced: string[]) => void;
}

/** What a merger import did: the successors created and the predecessors they took over. */
export interface MergerImportResult {
  successors: { nisCode: string; nameNl: string; validFrom: string; predecessors: string[] }[];
}

/** The local governments of the forms' selects, as of a version of the table. */
export interface LocalGovernmentChoices {
  version: number;
  localGovernments: readonly LocalGovernment[];
}

/** How many lists of choices (one per reference day: a handful of calls) are kept at most. */
const KEPT_CHOICES = 20;

const CHUNK = 500;
const number = new Intl.NumberFormat('nl-BE');

@Injectable()
export class OrganisationsService {
  private readonly kept = new KeptPerVersion<LocalGovernmentChoices>(KEPT_CHOICES);
  private readonly keptProvinces = new KeptPerVersion<string[]>(1);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: OrganisationsRepository,
    private readonly audit: AuditService,
    private readonly readModel: OrganisationReadModel,
    private readonly clock: Clock,
  ) {}

  /** Search by (part of) the name or the NIS code; municipalities first in NIS order, then VGC and De Rand. */
  search(search: LocalGovernmentSearch = {}): Promise<LocalGovernment[]> {
    return this.repository.search(this.dataSource.manager, search);
  }

  /**
   * Every local government (valid on a day when given), in the order of `search`, for the selects of the forms; with
   * the table's version, so a presenter can keep what it made of the list. Kept between calls until the table changes
   * (one small read per call instead of the whole table): shared, so never changed by a caller.
   */
  async choices(validOn?: string): Promise<LocalGovernmentChoices> {
    const version = await this.repository.version(this.dataSource.manager);
    return this.kept.get(validOn ?? '', version, async () => ({ version, localGovernments: Object.freeze(await this.search({ validOn })) }));
  }

  /** One page of `search`, in its order, for the list page and the API; the forms, imports and fixtures take the whole list from `search`. */
  async searchPage(search: LocalGovernmentSearch = {}, request: PageRequest = {}): Promise<Page<LocalGovernment>> {
    const { page, pageSize, offset, limit } = pageBounds(request);
    const { rows, total } = await this.repository.searchPage(this.dataSource.manager, search, offset, limit);
    return withTotal(rows, total, page, pageSize);
  }

  /** Today in Brussels, YYYY-MM-DD: the day "valid today" means. */
  today(): string {
    return brusselsDateOf(this.clock.now());
  }

  /** The other municipalities in the same reference region as this local government (none when it has no region). */
  regionPeers(localGovernmentId: number, validOn?: string): Promise<LocalGovernment[]> {
    return this.repository.regionPeers(this.dataSource.manager, localGovernmentId, validOn);
  }

  /** The provinces of the municipalities, for the filters of the lists; kept like `choices` until the tables change. */
  async provinces(): Promise<string[]> {
    const version = await this.repository.version(this.dataSource.manager);
    return [...(await this.keptProvinces.get('', version, () => this.repository.provinces(this.dataSource.manager)))];
  }

  /** One local government by its id, whatever its period (a decision letter names the lead as it was). */
  async get(id: number): Promise<LocalGovernment> {
    const found = await this.dataSource.manager.getRepository(LocalGovernment).findOneBy({ id });
    if (!found) throw new NotFound();
    return found;
  }

  async getByNisCode(nisCode: string): Promise<LocalGovernment> {
    const found = /^\d{5}$/.test(nisCode) ? await this.repository.findByNisCode(this.dataSource.manager, nisCode, this.today()) : null;
    if (!found) throw new NotFound(`Geen lokaal bestuur met NIS-code ${nisCode}.`);
    return found;
  }

  /**
   * Imports residents of non-EU origin; all lines or none. Returns the number of rows written. A NIS code names the
   * municipality that had it on 1 January of the reference year, else the latest that had it (a successor's own figure
   * for a year before its merger, which replaces the derived one).
   */
  async importStatistics(content: string | Buffer, options: ImportOptions = {}): Promise<number> {
    return inTransaction(this.dataSource, async (manager) => {
      const known = await this.repository.knownMunicipalities(manager);
      const rows = validateStatistics(content, new Set(known.map((m) => m.nisCode)));
      const idOf = (row: StatisticRow) => municipalityForDay(known, row.nisCode, `${row.referenceYear}-01-01`)!.id;
      const replacedDerived = await this.derivedFiguresReplaced(manager, rows, idOf);
      const fictional = options.fictional ?? false;
      await inChunks(rows, options.onProgress, (chunk: StatisticRow[]) =>
        this.repository.upsertStatistics(
          manager,
          chunk.map((row) => ({ ...row, localGovernmentId: idOf(row) })),
          fictional,
        ),
      );
      const years = [...new Set(rows.map((row) => `${row.referenceYear} ${row.originDefinition}`))];
      await this.audit.record(manager, options.actor ?? SYSTEM, {
        entityType: 'origin-statistics',
        entityId: 'import',
        action: 'imported',
        after: { rows: rows.length, years, fictional, ...(replacedDerived.length > 0 ? { replacedDerived } : {}) },
      });
      options.onReplacedDerived?.(replacedDerived);
      return rows.length;
    });
  }

  /** "46030 Beveren-Kruibeke-Zwijndrecht 2022 niet-EU-14: 12.345 = Beveren 8.000 + …" for each imported line that replaces a derived figure. */
  private async derivedFiguresReplaced(manager: EntityManager, rows: StatisticRow[], idOf: (row: StatisticRow) => number): Promise<string[]> {
    const replaced: string[] = [];
    const bases = new Map<string, StatisticRow[]>();
    for (const row of rows)
      bases.set(`${row.referenceYear}|${row.originDefinition}`, [...(bases.get(`${row.referenceYear}|${row.originDefinition}`) ?? []), row]);
    for (const group of bases.values()) {
      const basis = { referenceYear: group[0].referenceYear, originDefinition: group[0].originDefinition };
      const parts = await this.readModel.derivedParts(manager, [...new Set(group.map(idOf))], basis);
      if (parts.size === 0) continue;
      const facts = new Map((await this.readModel.facts(manager, [...parts.keys()], basis)).map((lg) => [lg.id, lg]));
      for (const [id, list] of parts) {
        const lg = facts.get(id)!;
        const sum = list.map((part) => `${part.nameNl} ${number.format(part.residents)}`).join(' + ');
        replaced.push(`${lg.nisCode} ${lg.nameNl} ${basis.referenceYear} ${basis.originDefinition}: ${number.format(lg.residents ?? 0)} = ${sum}`);
      }
    }
    return replaced;
  }

  /** Every merger known, newest first: each successor with its predecessors. */
  mergers() {
    return this.repository.mergers(this.dataSource.manager);
  }

  /**
   * Applies a merger table (docs/calls.md, municipal mergers); all lines or none, audited. Lines applied before are left out, so the
   * shipped table of 2025 is applied once, at the first start that has it.
   */
  importMergers(content: string | Buffer, options: ImportOptions = {}): Promise<MergerImportResult> {
    return inTransaction(this.dataSource, (manager) => this.applyMergers(manager, content, options.actor ?? SYSTEM));
  }

  /** importMergers inside the caller's transaction. */
  async applyMergers(manager: EntityManager, content: string | Buffer, actor: AuditActor = SYSTEM): Promise<MergerImportResult> {
    const known = await this.repository.knownMunicipalities(manager);
    const planned = planMergers(content, known);
    const names = new Map(known.map((m) => [m.id, `${m.nisCode} ${m.nameNl}`]));
    const result: MergerImportResult = { successors: [] };
    for (const successor of planned) {
      const id = await this.repository.merge(manager, successor);
      const predecessors = successor.predecessorIds.map((p) => names.get(p)!);
      result.successors.push({ nisCode: successor.nisCode, nameNl: successor.nameNl, validFrom: successor.validFrom, predecessors });
      await this.audit.record(manager, actor, {
        entityType: 'local-government',
        entityId: id,
        action: 'merged',
        after: { nisCode: successor.nisCode, nameNl: successor.nameNl, validFrom: successor.validFrom, predecessors },
        ownerLocalGovernmentIds: [id, ...successor.predecessorIds],
      });
    }
    return result;
  }

  /** Imports reference-region membership; all lines or none. A listed municipality moves to the region named. */
  async importRegions(content: string | Buffer, options: ImportOptions = {}): Promise<number> {
    return inTransaction(this.dataSource, async (manager) => {
      const known = await this.repository.knownMunicipalities(manager);
      const rows = validateRegions(content, new Set(known.map((m) => m.nisCode)));
      const regions = [...new Map(rows.map((row) => [row.regionCode, row.regionNameNl])).entries()];
      const fictional = options.fictional ?? false;
      await this.repository.upsertRegions(
        manager,
        regions.map(([code, nameNl]) => ({ code, nameNl })),
        fictional,
      );
      const regionIds = await this.repository.regionIds(manager);
      // A NIS code moves every municipality that had it (Antwerpen before and after it absorbed Borsbeek).
      await inChunks(rows, options.onProgress, (chunk: RegionRow[]) =>
        this.repository.upsertRegionMembers(
          manager,
          chunk.flatMap((row) =>
            known.filter((m) => m.nisCode === row.nisCode).map((m) => ({ localGovernmentId: m.id, regionId: regionIds.get(row.regionCode)! })),
          ),
        ),
      );
      await this.audit.record(manager, options.actor ?? SYSTEM, {
        entityType: 'reference-regions',
        entityId: 'import',
        action: 'imported',
        after: { rows: rows.length, regions: regions.length, fictional },
      });
      return rows.length;
    });
  }
}

async function inChunks<T>(rows: T[], onProgress: ImportProgress | undefined, write: (chunk: T[]) => Promise<unknown>) {
  onProgress?.(0, rows.length);
  for (let start = 0; start < rows.length; start += CHUNK) {
    await write(rows.slice(start, start + CHUNK));
    onProgress?.(Math.min(start + CHUNK, rows.length), rows.length);
  }
}
