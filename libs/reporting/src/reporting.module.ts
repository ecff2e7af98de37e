import { Module } from '@nestjs/common';
import { AllocationModule } from '@ps/allocation';
import { ApplicantsModule } from '@ps/applicants';
import { ApplicationsModule } from '@ps/applications';
import { AuditModule } from '@ps/audit';
import { CatalogueModule } from '@ps/catalogue';
import { IdentityModule } from '@ps/identity';
import { OrganisationsModule } from '@ps/organisations';
import { ReportNotices } from './report-notices';
import { ReportQueueReadModel } from './report-queue.read-model';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';
import { WorkbookImports } from './workbook/workbook-imports.service';
import { WorkbookParser } from './workbook/workbook-parser';

@Module({
  imports: [AllocationModule, ApplicantsModule, ApplicationsModule, AuditModule, CatalogueModule, IdentityModule, OrganisationsModule],
  providers: [ReportNotices, ReportsRepository, ReportQueueReadModel, ReportsService, WorkbookParser, WorkbookImports],
  exports: [ReportsService, WorkbookImports],
})
export class ReportingModule {}
