import { Module } from '@nestjs/common';
import { OrganisationReadModel } from './organisation.read-model';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LocalGovernment, OriginStatistic, ReferenceRegion, ReferenceRegionMember } from './organisations.entities';
import { OrganisationsReferenceData } from './organisations-reference-data';
import { OrganisationsRepository } from './organisations.repository';
import { OrganisationsService } from './organisations.service';

@Module({
  imports: [TypeOrmModule.forFeature([LocalGovernment, ReferenceRegion, ReferenceRegionMember, OriginStatistic])],
  providers: [OrganisationReadModel, OrganisationsRepository, OrganisationsService, OrganisationsReferenceData],
  exports: [OrganisationReadModel, OrganisationsService, OrganisationsReferenceData],
})
export class OrganisationsModule {}
