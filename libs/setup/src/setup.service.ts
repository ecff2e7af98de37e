import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '@ps/database';
import { ApplicantRegistrationService, PartnersService } from '@ps/applicants';
import { CatalogueReferenceData } from '@ps/catalogue';
import { AuditService } from '@ps/audit';
import { Role, SYSTEM_ACTOR, UsersService } from '@ps/identity';
import { Clock } from '@ps/kernel';
import { OrganisationsReferenceData, OrganisationsService } from '@ps/organisations';
import { DEMO_APPLICANTS, DEMO_PASSWORD, DEMO_USERS, DEMO_USUAL_IBAN_GENT, demoSubmissionWindow, fictionalResidents, slug } from './demo-data';
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
    private readonly audit: AuditService,
    private readonly clock: Clock,
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
      await this.loadDemoUsers(manager);
      await this.loadDemoApplicants(manager);
      await this.openDemoWindow(manager);
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

  private async loadDemoUsers(manager: EntityManager) {
    const ids = await this.repository.localGovernmentIds(manager);
    for (const user of DEMO_USERS) {
      const localGovernmentId = 'nisCode' in user ? ids.get(user.nisCode) : null;
      await this.users.createIfMissing(manager, { ...user, password: DEMO_PASSWORD, localGovernmentId });
    }
  }

  /**
   * Demo mode only: a newcomer can submit, so the current (latest) call's window opens a week ago and closes in four
   * weeks, Brussels time, from the clock at seeding; left alone while it is open, so a restart changes nothing.
   */
  private async openDemoWindow(manager: EntityManager) {
    const now = this.clock.now();
    const call = await this.repository.latestCall(manager);
    if (!call || (new Date(call.submission_opens_at) <= now && now < new Date(call.submission_closes_at))) return;
    const window = demoSubmissionWindow(now);
    await this.repository.setSubmissionWindow(manager, call.id, window.opensAt, window.closesAt);
    await this.audit.record(manager, SYSTEM_ACTOR, {
      entityType: 'call',
      entityId: call.year_number,
      action: 'demo-window-opened',
      before: { submissionOpensAt: call.submission_opens_at, submissionClosesAt: call.submission_closes_at },
      after: window,
    });
  }

  private async loadDemoApplicants(manager: EntityManager) {
    const ids = await this.repository.localGovernmentIds(manager);
    const call = (await this.repository.latestCall(manager))!;
    for (const applicant of DEMO_APPLICANTS) {
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
