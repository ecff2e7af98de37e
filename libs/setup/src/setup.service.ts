import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@ps/database';
import { ApplicantRegistrationService, PartnersService } from '@ps/applicants';
import { CatalogueReferenceData } from '@ps/catalogue';
import { Role, UsersService } from '@ps/identity';
import { OrganisationsReferenceData, OrganisationsService } from '@ps/organisations';
import { DEMO_APPLICANTS, DEMO_PASSWORD, DEMO_USERS, DEMO_USUAL_IBAN_GENT, fictionalResidents, MERGERS_TAKE_EFFECT, slug } from './demo-data';
import { SetupRepository } from './setup.repository';

export interface DemoCredentials {
  email: string;
  role: Role;
  password: string;
}

/** Loads reference data (always) and the fictional demo data (on request); both are idempotent. */
@Injectable()
export class SetupService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: SetupRepository,
    private readonly catalogue: CatalogueReferenceData,
    private readonly organisationsReference: OrganisationsReferenceData,
    private readonly organisations: OrganisationsService,
    private readonly users: UsersService,
    private readonly applicants: ApplicantRegistrationService,
    private readonly partners: PartnersService,
  ) {}

  loadReferenceData(): Promise<void> {
    return inTransaction(this.dataSource, async (manager) => {
      await this.catalogue.ensureLoaded(manager);
      await this.organisationsReference.ensureLoaded(manager);
      await this.partners.ensureAgii(manager);
    });
  }

  async loadDemoData(): Promise<DemoCredentials[]> {
    await this.loadFictionalRegions();
    await this.loadFictionalStatistics();
    await inTransaction(this.dataSource, async (manager) => {
      await this.createDemoUsers(manager);
      await this.loadDemoApplicants(manager);
      await this.repository.setUsualIbanWhereMissing(manager, '44021', DEMO_USUAL_IBAN_GENT);
    });
    return DEMO_USERS.map((user) => ({ email: user.email, role: user.role, password: DEMO_PASSWORD }));
  }

  /** Arrondissements stand in for reference regions, only where no regions were imported. */
  async loadFictionalRegions(): Promise<void> {
    if ((await this.repository.referenceRegionCount(this.dataSource.manager)) > 0) return;
    const rows = await this.repository.municipalities(this.dataSource.manager);
    const csv = [
      'nis_code,region_code,region_name_nl',
      ...rows.map((m) => `${m.nis_code},demo-${slug(m.arrondissement_nl)},Demoregio ${m.arrondissement_nl} (fictief)`),
    ];
    await this.organisations.importRegions(csv.join('\n'), { fictional: true });
  }

  /** Fictional statistics for the reference year and definition of every call that has none. */
  async loadFictionalStatistics(): Promise<void> {
    const needed = await this.repository.callsWithoutStatistics(this.dataSource.manager);
    if (needed.length === 0) return;
    const csv = ['nis_code,reference_year,origin_definition,residents'];
    for (const { year, definition } of needed) {
      // The municipalities as they were in the reference year: successors derive theirs from their predecessors' figures.
      const rows = await this.repository.municipalities(this.dataSource.manager, `${year}-01-01`);
      for (const m of rows) csv.push(`${m.nis_code},${year},${definition},${fictionalResidents(m.nis_code, m.inhabitants_2020, year)}`);
    }
    await this.organisations.importStatistics(csv.join('\n'), { fictional: true });
  }

  /** The demo accounts, where missing (the demo's story acts as its ABB people before the applicants are loaded). */
  loadDemoUsers(): Promise<void> {
    return inTransaction(this.dataSource, (manager) => this.createDemoUsers(manager));
  }

  /** The demo's story: each approved application's final report, as accepted, is the result its settlement counts. */
  recordReportedResults(year: number, label: string): Promise<void> {
    return inTransaction(this.dataSource, (manager) => this.repository.recordReportedResults(manager, year, label));
  }

  unsettledWithResults(year: number): Promise<number[]> {
    return this.repository.unsettledWithResults(this.dataSource.manager, year);
  }

  /** The demo's story: a year's allocation, payments and settlements dated when they happened in it (docs/demo.md). */
  dateAsHistory(year: number): Promise<void> {
    return inTransaction(this.dataSource, (manager) => this.repository.dateAsHistory(manager, year));
  }

  applicantCount(): Promise<number> {
    return this.repository.applicantCount(this.dataSource.manager);
  }

  async userIdByEmail(email: string): Promise<number> {
    return this.repository.userIdByEmail(this.dataSource.manager, email);
  }

  private async createDemoUsers(manager: EntityManager) {
    const ids = await this.repository.localGovernmentIds(manager);
    for (const user of DEMO_USERS) {
      const localGovernmentId = 'nisCode' in user ? ids.get(user.nisCode) : null;
      await this.users.createIfMissing(manager, { ...user, password: DEMO_PASSWORD, localGovernmentId });
    }
  }

  private async loadDemoApplicants(manager: EntityManager) {
    const call = (await this.repository.latestCall(manager))!;
    // The local governments of the call's reference date: a successor, not the predecessor it absorbed, under a NIS code both had.
    const ids = await this.repository.localGovernmentIds(manager, call.project_start);
    const current = call.project_start >= MERGERS_TAKE_EFFECT;
    for (const applicant of DEMO_APPLICANTS.filter((a) => current || !a.afterMergers)) {
      await this.applicants.createIfMissing(manager, {
        callId: call.id,
        kind: applicant.kind,
        nameNl: applicant.nameNl,
        leadLocalGovernmentId: ids.get(applicant.lead)!,
        memberLocalGovernmentIds: applicant.members.map((nis) => ids.get(nis)!),
      });
    }
  }
}
