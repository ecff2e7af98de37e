import { Module } from '@nestjs/common';
import { ApplicantsModule } from '@ps/applicants';
import { CatalogueModule } from '@ps/catalogue';
import { IdentityModule } from '@ps/identity';
import { OrganisationsModule } from '@ps/organisations';
import { SetupRepository } from './setup.repository';
import { SetupService } from './setup.service';

@Module({
  imports: [CatalogueModule, OrganisationsModule, IdentityModule, ApplicantsModule],
  providers: [SetupRepository, SetupService],
  exports: [SetupService],
})
export class SetupModule {}
