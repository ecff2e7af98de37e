import { Module } from '@nestjs/common';
import { ApplicantsModule } from '@ps/applicants';
import { ApplicationsModule } from '@ps/applications';
import { AuditModule } from '@ps/audit';
import { CatalogueModule } from '@ps/catalogue';
import { IdentityModule } from '@ps/identity';
import { OrganisationsModule } from '@ps/organisations';
import { AllocationNotices } from './allocation-notices';
import { AllocationRepository } from './allocation.repository';
import { AllocationService } from './allocation.service';
import { DecisionFiguresService } from './decision-figures';
import { PaymentFilesRepository } from './payment-files.repository';
import { PaymentFilesService } from './payment-files.service';
import { ProposalsRepository } from './proposals.repository';
import { ProposalsService } from './proposals.service';
import { SettlementRepository } from './settlement.repository';
import { SettlementService } from './settlement.service';

@Module({
  imports: [ApplicantsModule, ApplicationsModule, AuditModule, CatalogueModule, IdentityModule, OrganisationsModule],
  providers: [
    AllocationNotices,
    AllocationRepository,
    AllocationService,
    DecisionFiguresService,
    PaymentFilesRepository,
    PaymentFilesService,
    ProposalsRepository,
    ProposalsService,
    SettlementRepository,
    SettlementService,
  ],
  exports: [AllocationService, DecisionFiguresService, PaymentFilesService, ProposalsService, SettlementService],
})
export class AllocationModule {}
