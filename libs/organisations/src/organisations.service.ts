import { NotFound } from '@ps/kernel';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditActor, AuditService } from '@ps/audit';
import { inTransaction } from '@ps/database';
import { LocalGovernment } from './organisations.entities';
import { LocalGovernmentSearch, OrganisationsRepository } from './organisations.repository';
import { RegionRow, StatisticRow, validateRegions, validateStatistics } from './statistics-import';

/** Imports run at start-up or from the CLI record the system as their actor unless told otherwise. */
const SYSTEM: AuditActor = { userId: null, label: 'systeem' };

export type { LocalGovernmentSearch } from './organisations.repository';

export type ImportProgress = (done: number, total: number) => void;

export interface ImportOptions {
  actor?: AuditActor;
  fictional?: boolean;
  onProgress?: ImportProgress;
}

const CHUNK = 500;

@Injectable()
export class OrganisationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: OrganisationsRepository,
    private readonly audit: AuditService,
  ) {}

  /** Search by (part of) the name or the NIS code; municipalities first in NIS order, then VGC and De Rand. */
  search(search: LocalGovernmentSearch = {}): Promise<LocalGovernment[]> {
    return this.repository.search(this.dataSource.manager, search);
  }

  /** The other municipalities in the same reference region as this local government (none when it has no region). */
  regionPeers(localGovernmentId: number): Promise<LocalGovernment[]> {
    return this.repository.regionPeers(this.dataSource.manager, localGovernmentId);
  }

  provinces(): Promise<string[]> {
    return this.repository.provinces(this.dataSource.manager);
  }

  async getByNisCode(nisCode: string): Promise<LocalGovernment> {
    const found = /^\d{5}$/.test(nisCode) ? await this.repository.findByNisCode(this.dataSource.manager, nisCode) : null;
    if (!found) throw new NotFound(`Geen lokaal bestuur met NIS-code ${nisCode}.`);
    return found;
  }

  /** Imports residents of non-EU origin; all lines or none. Returns the number of rows written. */
  async importStatistics(content: string | Buffer, options: ImportOptions = {}): Promise<number> {
    return inTransaction(this.dataSource, async (manager) => {
      const ids = await this.repository.nisCodeIds(manager);
      const rows = validateStatistics(content, new Set(ids.keys()));
      const fictional = options.fictional ?? false;
      await inChunks(rows, options.onProgress, (chunk: StatisticRow[]) =>
        this.repository.upsertStatistics(
          manager,
          chunk.map((row) => ({ ...row, localGovernmentId: ids.get(row.nisCode)! })),
          fictional,
        ),
      );
      const years = [...new Set(rows.map((row) => `${row.referenceYear} ${row.originDefinition}`))];
      await this.audit.record(manager, options.actor ?? SYSTEM, {
        entityType: 'origin-statistics',
        entityId: 'import',
        action: 'imported',
        after: { rows: rows.length, years, fictional },
      });
      return rows.length;
    });
  }

  /** Imports reference-region membership; all lines or none. A listed municipality moves to the region named. */
  async importRegions(content: string | Buffer, options: ImportOptions = {}): Promise<number> {
    return inTransaction(this.dataSource, async (manager) => {
      const ids = await this.repository.nisCodeIds(manager);
      const rows = validateRegions(content, new Set(ids.keys()));
      const regions = [...new Map(rows.map((row) => [row.regionCode, row.regionNameNl])).entries()];
      const fictional = options.fictional ?? false;
      await this.repository.upsertRegions(
        manager,
        regions.map(([code, nameNl]) => ({ code, nameNl })),
        fictional,
      );
      const regionIds = await this.repository.regionIds(manager);
      await inChunks(rows, options.onProgress, (chunk: RegionRow[]) =>
        this.repository.upsertRegionMembers(
          manager,
          chunk.map((row) => ({ localGovernmentId: ids.get(row.nisCode)!, regionId: regionIds.get(row.regionCode)! })),
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
