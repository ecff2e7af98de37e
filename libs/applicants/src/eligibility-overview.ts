import { CallSettings } from './eligibility';

export const COVERAGE_STATUSES = ['eligible-alone', 'cooperation', 'not-covered'] as const;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];

/** How many municipalities of a list have each coverage status, every status named (0 when none). */
export type CoverageCounts = Record<CoverageStatus, number>;

export interface CoverageRow {
  nisCode: string;
  nameNl: string;
  provinceNl: string;
  regionId: number | null;
  regionNameNl: string | null;
  residents: number | null;
  /** A successor's figure summed from its predecessors' (docs/calls.md, municipal mergers): the parts; null for a figure of its own. */
  derivedFrom: { nisCode: string; nameNl: string; residents: number }[] | null;
  status: CoverageStatus;
  /** The applicant it takes part in for this call, if any. */
  applicantId: number | null;
  applicantNameNl: string | null;
}

export interface CoverageFilter {
  province?: string;
  regionId?: number;
}

/** What the overview knows of one municipality: its facts, and the applicant covering it in the call (if any). */
export interface CoverageFacts {
  nisCode: string;
  nameNl: string;
  provinceNl: string;
  regionId: number | null;
  regionNameNl: string | null;
  residents: number | null;
  derivedFrom?: { nisCode: string; nameNl: string; residents: number }[] | null;
  applicant: { id: number; nameNl: string; kind: string } | null;
}

/** A municipality is covered by a cooperation it takes part in, eligible alone above the call's threshold, or not covered. */
export function coverageRow(call: CallSettings, facts: CoverageFacts): CoverageRow {
  const inCooperation = facts.applicant?.kind === 'cooperation' || facts.applicant?.kind === 'de-rand';
  const status: CoverageStatus = inCooperation
    ? 'cooperation'
    : facts.residents !== null && facts.residents > call.settings.threshold
      ? 'eligible-alone'
      : 'not-covered';
  return {
    nisCode: facts.nisCode,
    nameNl: facts.nameNl,
    provinceNl: facts.provinceNl,
    regionId: facts.regionId,
    regionNameNl: facts.regionNameNl,
    residents: facts.residents,
    derivedFrom: facts.derivedFrom ?? null,
    status,
    applicantId: facts.applicant?.id ?? null,
    applicantNameNl: facts.applicant?.nameNl ?? null,
  };
}

/** The numbers per coverage status of a whole list, so a page of it can still show them. */
export function coverageCounts(rows: readonly Pick<CoverageRow, 'status'>[]): CoverageCounts {
  const counts = Object.fromEntries(COVERAGE_STATUSES.map((status) => [status, 0])) as CoverageCounts;
  for (const row of rows) counts[row.status] += 1;
  return counts;
}
