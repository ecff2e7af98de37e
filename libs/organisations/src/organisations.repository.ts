import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager } from 'typeorm';
import { upsertRows } from '@ps/database';
import { LocalGovernment } from './organisations.entities';

export interface LocalGovernmentSearch {
  query?: string;
  province?: string;
}

/** All SQL on the organisations lib's own tables (local_government, origin_statistic, reference_region, reference_region_member); pass the transaction's manager inside one. */
@Injectable()
export class OrganisationsRepository {
  /** Search by (part of) the name or the NIS code; municipalities first in NIS order, then VGC and De Rand. */
  search(manager: EntityManager, { query, province }: LocalGovernmentSearch): Promise<LocalGovernment[]> {
    const builder = manager.getRepository(LocalGovernment).createQueryBuilder('lg');
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
  regionPeers(manager: EntityManager, localGovernmentId: number): Promise<LocalGovernment[]> {
    return manager
      .getRepository(LocalGovernment)
      .createQueryBuilder('lg')
      .innerJoin('reference_region_member', 'm', 'm.local_government_id = lg.id')
      .innerJoin('reference_region_member', 'own', 'own.reference_region_id = m.reference_region_id AND own.local_government_id = :id', {
        id: localGovernmentId,
      })
      .where('lg.id <> :id', { id: localGovernmentId })
      .orderBy('lg.name_nl')
      .getMany();
  }

  async provinces(manager: EntityManager): Promise<string[]> {
    const rows: { province: string }[] = await manager.query(
      `SELECT DISTINCT province_nl AS province FROM local_government WHERE kind = 'municipality' ORDER BY province_nl`,
    );
    return rows.map((row) => row.province);
  }

  findByNisCode(manager: EntityManager, nisCode: string): Promise<LocalGovernment | null> {
    return manager.getRepository(LocalGovernment).findOneBy({ nisCode });
  }

  /** NIS code → id of every local government that has one. */
  async nisCodeIds(manager: EntityManager): Promise<Map<string, number>> {
    const rows: { id: number; nis_code: string }[] = await manager.query(`SELECT id, nis_code FROM local_government WHERE nis_code IS NOT NULL`);
    return new Map(rows.map((row) => [row.nis_code, row.id]));
  }

  /** Region code → id of every reference region. */
  async regionIds(manager: EntityManager): Promise<Map<string, number>> {
    const rows: { id: number; code: string }[] = await manager.query(`SELECT id, code FROM reference_region`);
    return new Map(rows.map((row) => [row.code, row.id]));
  }

  upsertStatistics(
    manager: EntityManager,
    rows: { localGovernmentId: number; referenceYear: number; originDefinition: string; residents: number }[],
    fictional: boolean,
  ): Promise<number> {
    return upsertRows(
      manager,
      'origin_statistic',
      ['local_government_id', 'reference_year', 'origin_definition', 'residents', 'fictional'],
      rows.map((row) => [row.localGovernmentId, row.referenceYear, row.originDefinition, row.residents, fictional]),
      '(local_government_id, reference_year, origin_definition)',
      ['residents', 'fictional'],
    );
  }

  upsertRegions(manager: EntityManager, regions: { code: string; nameNl: string }[], fictional: boolean): Promise<number> {
    return upsertRows(
      manager,
      'reference_region',
      ['code', 'name_nl', 'fictional'],
      regions.map((region) => [region.code, region.nameNl, fictional]),
      '(code)',
      ['name_nl', 'fictional'],
    );
  }

  /** A listed local government moves to the region given. */
  upsertRegionMembers(manager: EntityManager, rows: { localGovernmentId: number; regionId: number }[]): Promise<number> {
    return upsertRows(
      manager,
      'reference_region_member',
      ['local_government_id', 'reference_region_id'],
      rows.map((row) => [row.localGovernmentId, row.regionId]),
      '(local_government_id)',
      ['reference_region_id'],
    );
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
