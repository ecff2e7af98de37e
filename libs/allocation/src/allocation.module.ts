import { Module } from '@nestjs/common';
import { ApplicantsModule } from '@ps/applicants';
import { ApplicationsModule } from '@ps/applications';
import { AuditModule } from '@ps/audit';
import { CatalogueModule } from '@ps/catalogue';
import { OrganisationsModule } from '@ps/organisations';
import { AllocationRepository } from './allocation.repository';
import { AllocationService } from './allocation.service';
import { DecisionFiguresService } from './decision-figures';
import { SettlementRepository } from './settlement.repository';
import { SettlementService } from './settlement.service';

@Module({
  imports: [ApplicantsModule, ApplicationsModule, AuditModule, CatalogueModule, OrganisationsModule],
  providers: [AllocationRepository, AllocationService, DecisionFiguresService, SettlementRepository, SettlementService],
  exports: [AllocationService, DecisionFiguresService, SettlementService],
})
export class AllocationModule {}
