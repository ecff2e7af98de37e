import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, Repository } from 'typeorm';
import { AuditService } from '@ps/audit';
import { inTransaction, upsertRows } from '@ps/database';
import { Actor, SYSTEM_ACTOR } from '@ps/identity';
import { LocalGovernment } from './organisations.entities';
import { RegionRow, StatisticRow, validateRegions, validateStatistics } from './statistics-import';

export interface LocalGovernmentSearch {
  query?: string;
  province?: string;
}

export type ImportProgress = (done: number, total: number) => void;

export interface ImportOptions {
  actor?: Actor;
  fictional?: boolean;
  onProgress?: ImportProgress;
}

const CHUNK = 500;

@Injectable()
export class OrganisationsService {
  constructor(
    @InjectRepository(LocalGovernment) private readonly localGovernments: Repository<LocalGovernment>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Search by (part of) the name or the NIS code; municipalities first in NIS order, then VGC and De Rand. */
  search({ query, province }: LocalGovernmentSearch = {}): Promise<LocalGovernment[]> {
    const builder = this.localGovernments.createQueryBuilder('lg');
    const text = query?.trim();
    if (text) {
      builder.andWhere(
        new Brackets((where) => {
          where.where('lower(lg.name_nl) LIKE :name', { name: `%${escapeLike(text.toLowerCase())}%` });
          if (/^\d{1,5}$/.test(text)) where.orWhere('lg.nis_code LIKE :nis', { nis: `${text}%` });
        }),
      );
    }
    if (province) builder.andWhere('lg.province_nl = :province', { province });
    return builder.orderBy('lg.nis_code', 'ASC', 'NULLS LAST').addOrderBy('lg.name_nl').getMany();
  }

  /** The other municipalities in the same reference region as this local government (none when it has no region). */
  regionPeers(localGovernmentId: number): Promise<LocalGovernment[]> {
    return this.localGovernments
      .createQueryBuilder('lg')
      .innerJoin('reference_region_member', 'm', 'm.local_government_id = lg.id')
      .innerJoin('reference_region_member', 'own', 'own.reference_region_id = m.reference_region_id AND own.local_government_id = :id', { id: localGovernmentId })
      .where('lg.id <> :id', { id: localGovernmentId })
      .orderBy('lg.name_nl')
      .getMany();
  }

  async provinces(): Promise<string[]> {
    const rows: { province: string }[] = await this.localGovernments.query(
      `SELECT DISTINCT province_nl AS province FROM local_government WHERE kind = 'municipality' ORDER BY province_nl`,
    );
    return rows.map((row) => row.province);
  }

  async getByNisCode(nisCode: string): Promise<LocalGovernment> {
    const found = /^\d{5}$/.test(nisCode) ? await this.localGovernments.findOneBy({ nisCode }) : null;
    if (!found) throw new NotFoundException(`Geen lokaal bestuur met NIS-code ${nisCode}.`);
    return found;
  }

  private async nisCodeIds(manager: EntityManager): Promise<Map<string, number>> {
    const rows: { id: number; nis_code: string }[] = await manager.query(`SELECT id, nis_code FROM local_government WHERE nis_code IS NOT NULL`);
    return new Map(rows.map((row) => [row.nis_code, row.id]));
  }

  /** Imports residents of non-EU origin; all lines or none. Returns the number of rows written. */
  async importStatistics(content: string | Buffer, options: ImportOptions = {}): Promise<number> {
    return inTransaction(this.dataSource, async (manager) => {
      const ids = await this.nisCodeIds(manager);
      const rows = validateStatistics(content, new Set(ids.keys()));
      await inChunks(rows, options.onProgress, (chunk: StatisticRow[]) =>
        upsertRows(manager, 'origin_statistic', ['local_government_id', 'reference_year', 'origin_definition', 'residents', 'fictional'],
          chunk.map((row) => [ids.get(row.nisCode), row.referenceYear, row.originDefinition, row.residents, options.fictional ?? false]),
          '(local_government_id, reference_year, origin_definition)', ['residents', 'fictional']),
      );
      const years = [...new Set(rows.map((row) => `${row.referenceYear} ${row.originDefinition}`))];
      await this.audit.record(manager, options.actor ?? SYSTEM_ACTOR, { entityType: 'origin-statistics', entityId: 'import', action: 'imported', after: { rows: rows.length, years, fictional: options.fictional ?? false } });
      return rows.length;
    });
  }

  /** Imports reference-region membership; all lines or none. A listed municipality moves to the region named. */
  async importRegions(content: string | Buffer, options: ImportOptions = {}): Promise<number> {
    return inTransaction(this.dataSource, async (manager) => {
      const ids = await this.nisCodeIds(manager);
      const rows = validateRegions(content, new Set(ids.keys()));
      const regions = [...new Map(rows.map((row) => [row.regionCode, row.regionNameNl])).entries()];
      await upsertRows(manager, 'reference_region', ['code', 'name_nl', 'fictional'], regions.map(([code, name]) => [code, name, options.fictional ?? false]), '(code)', ['name_nl', 'fictional']);
      const regionIds = new Map<string, number>(
        (await manager.query(`SELECT id, code FROM reference_region`)).map((r: { id: number; code: string }) => [r.code, r.id]),
      );
      await inChunks(rows, options.onProgress, (chunk: RegionRow[]) =>
        upsertRows(manager, 'reference_region_member', ['local_government_id', 'reference_region_id'],
          chunk.map((row) => [ids.get(row.nisCode), regionIds.get(row.regionCode)]), '(local_government_id)', ['reference_region_id']),
      );
      await this.audit.record(manager, options.actor ?? SYSTEM_ACTOR, { entityType: 'reference-regions', entityId: 'import', action: 'imported', after: { rows: rows.length, regions: regions.length, fictional: options.fictional ?? false } });
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

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
