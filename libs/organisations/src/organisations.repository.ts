import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager } from 'typeorm';
import { upsertRows } from '@ps/database';
import { LocalGovernment } from './organisations.entities';
import { KnownMunicipality, PlannedSuccessor } from './merger-import';

export interface LocalGovernmentSearch {
  query?: string;
  province?: string;
  /** Only those valid on this day (YYYY-MM-DD); every one, whatever its period, when left out. */
  validOn?: string;
  /** Only municipalities (not VGC or De Rand). */
  municipalitiesOnly?: boolean;
  /** Leaves these ids out (an applicant's members, when looking for a new one). */
  except?: readonly number[];
}

/** The SQL of "valid on the day $n" for the alias given. */
export const validOnSql = (alias: string, parameter: string) =>
  `((${alias}.valid_from IS NULL OR ${alias}.valid_from <= ${parameter}) AND (${alias}.valid_until IS NULL OR ${alias}.valid_until >= ${parameter}))`;

/** All SQL on the organisations lib's own tables (local_government, origin_statistic, reference_region, reference_region_member); pass the transaction's manager inside one. */
@Injectable()
export class OrganisationsRepository {
  /** Search by (part of) the name or the NIS code; municipalities first in NIS order, then VGC and De Rand. */
  /** Grows with every change of this lib's tables (triggers: migration 1764850000000). */
  async version(manager: EntityManager): Promise<number> {
    const [row] = await manager.query(`SELECT version FROM organisations_version`);
    return Number(row?.version ?? 0);
  }

  search(manager: EntityManager, search: LocalGovernmentSearch): Promise<LocalGovernment[]> {
    return this.searchQuery(manager, search).getMany();
  }

  /** One page of a search (the order of `search`), with the number found over all pages. */
  async searchPage(manager: EntityManager, search: LocalGovernmentSearch, offset: number, limit: number): Promise<{ rows: LocalGovernment[]; total: number }> {
    const rows = await this.searchQuery(manager, search).offset(offset).limit(limit).getMany();
    if (offset === 0 && rows.length < limit) return { rows, total: rows.length };
    return { rows, total: await this.searchQuery(manager, search).getCount() };
  }

  private searchQuery(manager: EntityManager, { query, province, validOn, municipalitiesOnly, except }: LocalGovernmentSearch) {
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
    if (validOn) builder.andWhere(validOnSql('lg', 'CAST(:validOn AS date)'), { validOn });
    if (municipalitiesOnly) builder.andWhere(`lg.kind = 'municipality'`);
    if (except?.length) builder.andWhere('lg.id <> ALL(CAST(:except AS integer[]))', { except: [...except] });
    // the id last: a NIS code and name can return (Antwerpen before and after 2025), and pages need one order
    return builder.orderBy('lg.nis_code', 'ASC', 'NULLS LAST').addOrderBy('lg.name_nl').addOrderBy('lg.id');
  }

  /** The other municipalities in the same reference region as this local government (none when it has no region), valid on a day when given. */
  regionPeers(manager: EntityManager, localGovernmentId: number, validOn?: string): Promise<LocalGovernment[]> {
    const builder = manager
      .getRepository(LocalGovernment)
      .createQueryBuilder('lg')
      .innerJoin('reference_region_member', 'm', 'm.local_government_id = lg.id')
      .innerJoin('reference_region_member', 'own', 'own.reference_region_id = m.reference_region_id AND own.local_government_id = :id', {
        id: localGovernmentId,
      })
      .where('lg.id <> :id', { id: localGovernmentId });
    if (validOn) builder.andWhere(validOnSql('lg', 'CAST(:validOn AS date)'), { validOn });
    return builder.orderBy('lg.name_nl').getMany();
  }

  async provinces(manager: EntityManager): Promise<string[]> {
    const rows: { province: string }[] = await manager.query(
      `SELECT DISTINCT province_nl AS province FROM local_government WHERE kind = 'municipality' ORDER BY province_nl`,
    );
    return rows.map((row) => row.province);
  }

  /** The local government with this NIS code valid on the day, else the latest that had it. */
  findByNisCode(manager: EntityManager, nisCode: string, day: string): Promise<LocalGovernment | null> {
    return manager
      .getRepository(LocalGovernment)
      .createQueryBuilder('lg')
      .where('lg.nis_code = :nisCode', { nisCode })
      .orderBy(validOnSql('lg', 'CAST(:day AS date)'), 'DESC')
      .addOrderBy('lg.valid_from', 'DESC', 'NULLS LAST')
      .setParameter('day', day)
      .getOne();
  }

  /** Every municipality with its period and successor, in NIS order: what the merger rule checks a table against. */
  async knownMunicipalities(manager: EntityManager): Promise<KnownMunicipality[]> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT id, nis_code, name_nl, arrondissement_nl, province_nl, inhabitants_2020, facility_municipality,
              to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_until, 'YYYY-MM-DD') AS valid_until, successor_id
         FROM local_government WHERE kind = 'municipality' ORDER BY nis_code, valid_from NULLS FIRST`,
    );
    return rows.map((r) => ({
      id: r.id as number,
      nisCode: r.nis_code as string,
      nameNl: r.name_nl as string,
      arrondissementNl: r.arrondissement_nl as string | null,
      provinceNl: r.province_nl as string | null,
      inhabitants2020: r.inhabitants_2020 as number | null,
      facilityMunicipality: r.facility_municipality as boolean,
      validFrom: r.valid_from as string | null,
      validUntil: r.valid_until as string | null,
      successorId: r.successor_id as number | null,
    }));
  }

  /** Every merger known: each successor with its predecessors, newest first, then by NIS code. */
  async mergers(
    manager: EntityManager,
  ): Promise<{ nisCode: string; nameNl: string; validFrom: string; predecessors: { nisCode: string; nameNl: string }[] }[]> {
    const rows: { nis_code: string; name_nl: string; valid_from: string; predecessor_nis_code: string; predecessor_name_nl: string }[] = await manager.query(
      `SELECT s.nis_code, s.name_nl, to_char(s.valid_from, 'YYYY-MM-DD') AS valid_from, p.nis_code AS predecessor_nis_code, p.name_nl AS predecessor_name_nl
         FROM local_government s JOIN local_government p ON p.successor_id = s.id
        ORDER BY s.valid_from DESC, s.nis_code, p.name_nl`,
    );
    const merged = new Map<string, { nisCode: string; nameNl: string; validFrom: string; predecessors: { nisCode: string; nameNl: string }[] }>();
    for (const row of rows) {
      const key = `${row.nis_code}|${row.valid_from}`;
      if (!merged.has(key)) merged.set(key, { nisCode: row.nis_code, nameNl: row.name_nl, validFrom: row.valid_from, predecessors: [] });
      merged.get(key)!.predecessors.push({ nisCode: row.predecessor_nis_code, nameNl: row.predecessor_name_nl });
    }
    return [...merged.values()];
  }

  /** Creates the successor, ends its predecessors the day before and links them to it; it joins their reference region when they share one. */
  async merge(manager: EntityManager, successor: PlannedSuccessor): Promise<number> {
    const [{ id }]: { id: number }[] = await manager.query(
      `INSERT INTO local_government (nis_code, kind, name_nl, arrondissement_nl, province_nl, inhabitants_2020, facility_municipality, valid_from)
       VALUES ($1, 'municipality', $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        successor.nisCode,
        successor.nameNl,
        successor.arrondissementNl,
        successor.provinceNl,
        successor.inhabitants2020,
        successor.facilityMunicipality,
        successor.validFrom,
      ],
    );
    await manager.query(`UPDATE local_government SET valid_until = $2, successor_id = $3 WHERE id = ANY($1::integer[])`, [
      successor.predecessorIds,
      successor.predecessorsUntil,
      id,
    ]);
    await manager.query(
      `INSERT INTO reference_region_member (local_government_id, reference_region_id)
       SELECT $1, min(reference_region_id) FROM reference_region_member WHERE local_government_id = ANY($2::integer[])
       HAVING count(*) = cardinality($2::integer[]) AND count(DISTINCT reference_region_id) = 1`,
      [id, successor.predecessorIds],
    );
    return id;
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
