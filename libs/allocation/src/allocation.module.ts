import { Module } from '@nestjs/common';
import { ApplicationsModule } from '@ps/applications';
import { AuditModule } from '@ps/audit';
import { CatalogueModule } from '@ps/catalogue';
import { OrganisationsModule } from '@ps/organisations';
import { AllocationRepository } from './allocation.repository';
import { AllocationService } from './allocation.service';

@Module({
  imports: [ApplicationsModule, AuditModule, CatalogueModule, OrganisationsModule],
  providers: [AllocationRepository, AllocationService],
  exports: [AllocationService],
})
export class AllocationModule {}
