import { Module } from '@nestjs/common';
import { ApplicantsModule } from '@ps/applicants';
import { CatalogueModule } from '@ps/catalogue';
import { IdentityModule } from '@ps/identity';
import { OrganisationsModule } from '@ps/organisations';
import { GeneratorRepository } from './generator/generator.repository';
import { GeneratorService } from './generator/generator.service';
import { SetupRepository } from './setup.repository';
import { SetupService } from './setup.service';

@Module({
  imports: [CatalogueModule, OrganisationsModule, IdentityModule, ApplicantsModule],
  providers: [SetupRepository, SetupService, GeneratorRepository, GeneratorService],
  exports: [SetupService, GeneratorService],
})
export class SetupModule {}
