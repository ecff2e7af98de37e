import { Module } from '@nestjs/common';
import { AllocationModule } from '@ps/allocation';
import { ApplicantsModule } from '@ps/applicants';
import { ApplicationsModule } from '@ps/applications';
import { CatalogueModule } from '@ps/catalogue';
import { IdentityModule } from '@ps/identity';
import { OrganisationsModule } from '@ps/organisations';
import { GeneratorRepository } from './generator/generator.repository';
import { GeneratorService } from './generator/generator.service';
import { SetupRepository } from './setup.repository';
import { SetupService } from './setup.service';
import { DemoStoryService } from './demo-story.service';

@Module({
  imports: [CatalogueModule, OrganisationsModule, IdentityModule, ApplicantsModule, ApplicationsModule, AllocationModule],
  providers: [SetupRepository, SetupService, GeneratorRepository, GeneratorService, DemoStoryService],
  exports: [SetupService, GeneratorService, DemoStoryService],
})
export class SetupModule {}
