import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { KeptPerVersion } from '@ps/kernel';
import { DataSource, EntityManager } from 'typeorm';
import { LocalGovernmentKind } from './organisations.entities';
import { OrganisationsRepository, validOnSql } from './organisations.repository';

/** Which statistics count: a call's reference year and origin definition. */
export interface StatisticsBasis {
  referenceYear: number;
  originDefinition: string;
}

/** What eligibility, coverage and an applicant's page need to know of one local government. */
export interface LocalGovernmentFacts {
  id: number;
  nisCode: string | null;
  nameNl: string;
  kind: LocalGovernmentKind;
  facilityMunicipality: boolean;
  provinceNl: string | null;
  /** Residents of non-EU origin on the statistics basis asked; null when not imported. */
  residents: number | null;
  /** The figure is the sum of the predecessors' (a successor without a figure of its own: docs/calls.md, municipal mergers). */
  residentsDerived: boolean;
  regionId: number | null;
  regionNameNl: string | null;
  /** The account the local government usually receives payments on. */
  usualIban: string | null;
  /** Its period (YYYY-MM-DD, null = open) and the one it merged into (docs/calls.md, municipal mergers). */
  validFrom: string | null;
  validUntil: string | null;
  successorId: number | null;
  successorNameNl: string | null;
}

/** One predecessor's part of a successor's derived figure. */
export interface DerivedPart {
  nisCode: string;
  nameNl: string;
  residents: number;
}

// A successor without a figure of its own counts the sum of its predecessors', when every one of them has one.
const DERIVED = `LEFT JOIN LATERAL (
                   SELECT sum(ps.residents) AS residents
                     FROM local_government p
                     LEFT JOIN origin_statistic ps ON ps.local_government_id = p.id AND ps.reference_year = $1 AND ps.origin_definition = $2
                    WHERE p.successor_id = lg.id
                   HAVING count(*) > 0 AND count(ps.residents) = count(*)
                 ) d ON s.residents IS NULL`;

const FACTS = `SELECT lg.id, lg.nis_code, lg.name_nl, lg.kind, lg.facility_municipality, lg.province_nl, lg.usual_iban,
                      coalesce(s.residents, d.residents) AS residents, (s.residents IS NULL AND d.residents IS NOT NULL) AS residents_derived,
                      r.id AS region_id, r.name_nl AS region_name_nl, to_char(lg.valid_from, 'YYYY-MM-DD') AS valid_from,
                      to_char(lg.valid_until, 'YYYY-MM-DD') AS valid_until, lg.successor_id, succ.name_nl AS successor_name_nl
                 FROM local_government lg
                 LEFT JOIN local_government succ ON succ.id = lg.successor_id
                 LEFT JOIN origin_statistic s ON s.local_government_id = lg.id AND s.reference_year = $1 AND s.origin_definition = $2
                 ${DERIVED}
                 LEFT JOIN reference_region_member rm ON rm.local_government_id = lg.id
                 LEFT JOIN reference_region r ON r.id = rm.reference_region_id`;

/** How many filtered lists of municipality facts are kept at most (a call's basis × a province or region). */
const KEPT_FACTS = 50;

/**
 * What other libs may know of local governments, their statistics and reference regions:
 * read-only queries on the organisations lib's tables.
 */
@Injectable()
export class OrganisationReadModel {
  /** `municipalityFacts` outside a transaction, per basis and filter, as of a version of the lib's tables. */
  private readonly keptFacts = new KeptPerVersion<readonly LocalGovernmentFacts[]>(KEPT_FACTS);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: OrganisationsRepository,
  ) {}

  /** Grows with every change of this lib's tables: what is derived from them and kept may be kept as long as it stands. */
  version(manager: EntityManager): Promise<number> {
    return this.repository.version(manager);
  }

  /** The facts of the given local governments (unknown ids are left out), by id. */
  async facts(manager: EntityManager, ids: number[], basis: StatisticsBasis, order: 'id' | 'name' = 'id'): Promise<LocalGovernmentFacts[]> {
    if (ids.length === 0) return [];
    const orderBy = order === 'name' ? 'lg.name_nl, lg.id' : 'lg.id';
    const rows = await manager.query(`${FACTS} WHERE lg.id = ANY($3::integer[]) ORDER BY ${orderBy}`, [basis.referenceYear, basis.originDefinition, ids]);
    return rows.map(toFacts);
  }

  /** Every municipality (not VGC or De Rand) in NIS-code order, in one province or reference region, valid on one day (YYYY-MM-DD) when given. */
  async municipalityFacts(
    manager: EntityManager,
    basis: StatisticsBasis,
    filter: { province?: string; regionId?: number; validOn?: string } = {},
  ): Promise<LocalGovernmentFacts[]> {
    // Kept between requests until one of the lib's tables changes (a version read instead of every municipality: 130 ms
    // at 100×). Not inside a transaction: it may see its own changes, and a version it reaches may never be committed.
    if (manager.queryRunner?.isTransactionActive) return this.readMunicipalityFacts(manager, basis, filter);
    const key = JSON.stringify([basis.referenceYear, basis.originDefinition, filter.province ?? null, filter.regionId ?? null, filter.validOn ?? null]);
    const version = await this.repository.version(manager);
    const facts = await this.keptFacts.get(key, version, async () => Object.freeze(await this.readMunicipalityFacts(manager, basis, filter)));
    return [...facts];
  }

  private async readMunicipalityFacts(
    manager: EntityManager,
    basis: StatisticsBasis,
    filter: { province?: string; regionId?: number; validOn?: string },
  ): Promise<LocalGovernmentFacts[]> {
    const rows = await manager.query(
      `${FACTS} WHERE lg.kind = 'municipality' AND ($3::text IS NULL OR lg.province_nl = $3) AND ($4::integer IS NULL OR r.id = $4)
                  AND ($5::date IS NULL OR ${validOnSql('lg', '$5::date')}) ORDER BY lg.nis_code`,
      [basis.referenceYear, basis.originDefinition, filter.province ?? null, filter.regionId ?? null, filter.validOn ?? null],
    );
    return rows.map(toFacts);
  }

  /** The parts of each derived figure among the given successors: their predecessors' figures, by successor id. */
  async derivedParts(manager: EntityManager, ids: number[], basis: StatisticsBasis): Promise<Map<number, DerivedPart[]>> {
    if (ids.length === 0) return new Map();
    const rows: { successor_id: number; nis_code: string; name_nl: string; residents: number }[] = await manager.query(
      `SELECT lg.id AS successor_id, p.nis_code, p.name_nl, ps.residents
         FROM local_government lg
         JOIN local_government p ON p.successor_id = lg.id
         JOIN origin_statistic ps ON ps.local_government_id = p.id AND ps.reference_year = $1 AND ps.origin_definition = $2
         LEFT JOIN origin_statistic s ON s.local_government_id = lg.id AND s.reference_year = $1 AND s.origin_definition = $2
        WHERE lg.id = ANY($3::integer[]) AND s.residents IS NULL
          AND NOT EXISTS (SELECT 1 FROM local_government q
                           WHERE q.successor_id = lg.id
                             AND NOT EXISTS (SELECT 1 FROM origin_statistic qs
                                              WHERE qs.local_government_id = q.id AND qs.reference_year = $1 AND qs.origin_definition = $2))
        ORDER BY lg.id, p.name_nl, p.id`,
      [basis.referenceYear, basis.originDefinition, ids],
    );
    const parts = new Map<number, DerivedPart[]>();
    for (const row of rows) {
      const list = parts.get(row.successor_id) ?? [];
      list.push({ nisCode: row.nis_code, nameNl: row.name_nl, residents: Number(row.residents) });
      parts.set(row.successor_id, list);
    }
    return parts;
  }

  /** The names of the given local governments, in the database's name order. */
  async names(manager: EntityManager, ids: number[]): Promise<{ id: number; nameNl: string }[]> {
    if (ids.length === 0) return [];
    const rows: { id: number; name_nl: string }[] = await manager.query(
      `SELECT id, name_nl FROM local_government WHERE id = ANY($1::integer[]) ORDER BY name_nl, id`,
      [ids],
    );
    return rows.map((row) => ({ id: row.id, nameNl: row.name_nl }));
  }

  /** The local government the identity provider names by this KBO number (ten digits), if the platform knows it. */
  async byKboNumber(manager: EntityManager, kboNumber: string): Promise<{ id: number; nameNl: string } | null> {
    const [row]: { id: number; name_nl: string }[] = await manager.query(`SELECT id, name_nl FROM local_government WHERE kbo_number = $1`, [kboNumber]);
    return row ? { id: row.id, nameNl: row.name_nl } : null;
  }

  /** The province of each local government asked for (null for those without one, such as the VGC). */
  async provinces(manager: EntityManager, ids: number[]): Promise<Map<number, string | null>> {
    if (ids.length === 0) return new Map();
    const rows: { id: number; province_nl: string | null }[] = await manager.query(
      `SELECT id, province_nl FROM local_government WHERE id = ANY($1::integer[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row.province_nl]));
  }

  /** The reference regions by name. */
  async regions(manager: EntityManager = this.dataSource.manager): Promise<{ id: number; nameNl: string }[]> {
    const rows: { id: number; name_nl: string }[] = await manager.query(`SELECT id, name_nl FROM reference_region ORDER BY name_nl`);
    return rows.map((row) => ({ id: row.id, nameNl: row.name_nl }));
  }
}

function toFacts(r: Record<string, unknown>): LocalGovernmentFacts {
  return {
    id: r.id as number,
    nisCode: (r.nis_code as string | null) ?? null,
    nameNl: r.name_nl as string,
    kind: r.kind as LocalGovernmentKind,
    facilityMunicipality: r.facility_municipality as boolean,
    provinceNl: (r.province_nl as string | null) ?? null,
    residents: r.residents === null || r.residents === undefined ? null : Number(r.residents),
    residentsDerived: r.residents_derived === true,
    regionId: (r.region_id as number | null) ?? null,
    regionNameNl: (r.region_name_nl as string | null) ?? null,
    usualIban: (r.usual_iban as string | null) ?? null,
    validFrom: (r.valid_from as string | null) ?? null,
    validUntil: (r.valid_until as string | null) ?? null,
    successorId: (r.successor_id as number | null) ?? null,
    successorNameNl: (r.successor_name_nl as string | null) ?? null,
  };
}
