import { EntityManager } from 'typeorm';
import { CallSettings } from './applicants.service';

export type CoverageStatus = 'eligible-alone' | 'cooperation' | 'not-covered';

export interface CoverageRow {
  nisCode: string;
  nameNl: string;
  provinceNl: string;
  regionId: number | null;
  regionNameNl: string | null;
  residents: number | null;
  status: CoverageStatus;
  /** The applicant it takes part in for this call, if any. */
  applicantId: number | null;
  applicantNameNl: string | null;
}

export interface CoverageFilter {
  province?: string;
  regionId?: number;
}

/** Every Flemish municipality for one call: eligible alone, covered by a cooperation, or not covered. */
export async function coverageOverview(manager: EntityManager, call: CallSettings, filter: CoverageFilter): Promise<CoverageRow[]> {
  const rows = await manager.query(
    `SELECT lg.nis_code, lg.name_nl, lg.province_nl, r.id AS region_id, r.name_nl AS region_name_nl, s.residents,
            a.id AS applicant_id, a.name_nl AS applicant_name_nl, a.kind AS applicant_kind
       FROM local_government lg
       LEFT JOIN origin_statistic s ON s.local_government_id = lg.id AND s.reference_year = $1 AND s.origin_definition = $2
       LEFT JOIN reference_region_member rm ON rm.local_government_id = lg.id
       LEFT JOIN reference_region r ON r.id = rm.reference_region_id
       LEFT JOIN LATERAL (
         SELECT a.id, a.name_nl, a.kind FROM applicant_member m JOIN applicant a ON a.id = m.applicant_id
          WHERE m.local_government_id = lg.id AND m.call_id = $3 AND m.state = 'member' ORDER BY m.carried_over, a.id LIMIT 1
       ) a ON true
      WHERE lg.kind = 'municipality' AND ($4::text IS NULL OR lg.province_nl = $4) AND ($5::integer IS NULL OR r.id = $5)
      ORDER BY lg.nis_code`,
    [call.settings.referenceYear, call.settings.originDefinition, call.id, filter.province ?? null, filter.regionId ?? null],
  );
  return rows.map((r: Record<string, unknown>) => {
    const residents = r.residents === null ? null : Number(r.residents);
    const inCooperation = r.applicant_kind === 'cooperation' || r.applicant_kind === 'de-rand';
    const status: CoverageStatus = inCooperation ? 'cooperation' : residents !== null && residents > call.settings.threshold ? 'eligible-alone' : 'not-covered';
    return {
      nisCode: r.nis_code as string, nameNl: r.name_nl as string, provinceNl: r.province_nl as string,
      regionId: (r.region_id as number | null) ?? null, regionNameNl: (r.region_name_nl as string | null) ?? null, residents, status,
      applicantId: (r.applicant_id as number | null) ?? null, applicantNameNl: (r.applicant_name_nl as string | null) ?? null,
    };
  });
}
