import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { KeptPerVersion } from '@ps/kernel';
import { LocalGovernmentFacts, OrganisationReadModel } from '@ps/organisations';
import { ApplicantsRepository } from './applicants.repository';
import { CallSettings, Candidate } from './eligibility';
import { CoverageFilter, CoverageRow, coverageRow } from './eligibility-overview';

/** How many coverage overviews (a call × a province or region) are kept at most. */
const KEPT_COVERAGE = 20;

/** A candidate for the eligibility engine, with the facts an applicant's page shows besides. */
export interface CandidateFacts extends Candidate {
  nisCode: string | null;
  usualIban: string | null;
  validFrom: string | null;
  validUntil: string | null;
  successorId: number | null;
  successorNameNl: string | null;
}

/** Gathers what the eligibility engine and the coverage overview decide on: local-government facts (organisations) and memberships (applicants). */
@Injectable()
export class EligibilityFacts {
  private readonly keptCoverage = new KeptPerVersion<readonly CoverageRow[]>(KEPT_COVERAGE);

  constructor(
    private readonly applicants: ApplicantsRepository,
    private readonly organisations: OrganisationReadModel,
  ) {}

  /** The facts the eligibility engine needs about local governments, in a call, leaving out one applicant's own membership; by id. */
  async candidates(manager: EntityManager, call: CallSettings, ids: number[], exceptApplicantId: number | null): Promise<CandidateFacts[]> {
    const facts = await this.organisations.facts(manager, ids, call.settings);
    const others = await this.applicants.otherMemberships(manager, call.id, ids, exceptApplicantId);
    return facts.map((lg) => ({
      ...toCandidate(lg),
      otherApplicants: others.get(lg.id) ?? [],
      nisCode: lg.nisCode,
      usualIban: lg.usualIban,
      validFrom: lg.validFrom,
      validUntil: lg.validUntil,
      successorId: lg.successorId,
      successorNameNl: lg.successorNameNl,
    }));
  }

  /**
   * Every Flemish municipality for one call: eligible alone, covered by a cooperation, or not covered. Kept between
   * requests (outside a transaction) while the organisations tables, the memberships and the call's settings stay as
   * they were: shared rows, never changed by a caller.
   */
  async coverage(manager: EntityManager, call: CallSettings, filter: CoverageFilter): Promise<CoverageRow[]> {
    if (manager.queryRunner?.isTransactionActive) return this.computeCoverage(manager, call, filter);
    const key = JSON.stringify([call, filter.province ?? null, filter.regionId ?? null]);
    const versions = `${await this.organisations.version(manager)}/${await this.applicants.version(manager)}`;
    return [...(await this.keptCoverage.get(key, versions, async () => Object.freeze(await this.computeCoverage(manager, call, filter))))];
  }

  private async computeCoverage(manager: EntityManager, call: CallSettings, filter: CoverageFilter): Promise<CoverageRow[]> {
    const municipalities = await this.organisations.municipalityFacts(manager, call.settings, { ...filter, validOn: call.referenceDate });
    const covering = await this.applicants.coveringApplicants(manager, call.id);
    const derived = await this.organisations.derivedParts(
      manager,
      municipalities.filter((lg) => lg.residentsDerived).map((lg) => lg.id),
      call.settings,
    );
    return municipalities.map((lg) =>
      coverageRow(call, {
        nisCode: lg.nisCode!,
        nameNl: lg.nameNl,
        provinceNl: lg.provinceNl!,
        regionId: lg.regionId,
        regionNameNl: lg.regionNameNl,
        residents: lg.residents,
        derivedFrom: derived.get(lg.id) ?? null,
        applicant: covering.get(lg.id) ?? null,
      }),
    );
  }
}

function toCandidate(lg: LocalGovernmentFacts): Omit<Candidate, 'otherApplicants'> {
  return {
    id: lg.id,
    nameNl: lg.nameNl,
    kind: lg.kind,
    facilityMunicipality: lg.facilityMunicipality,
    residents: lg.residents,
    regionId: lg.regionId,
    regionNameNl: lg.regionNameNl,
  };
}
