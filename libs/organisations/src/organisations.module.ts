import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LocalGovernment, OriginStatistic, ReferenceRegion, ReferenceRegionMember } from './organisations.entities';
import { OrganisationsReferenceData } from './organisations-reference-data';
import { OrganisationsService } from './organisations.service';

@Module({
  imports: [TypeOrmModule.forFeature([LocalGovernment, ReferenceRegion, ReferenceRegionMember, OriginStatistic])],
  providers: [OrganisationsService, OrganisationsReferenceData],
  exports: [OrganisationsService, OrganisationsReferenceData],
})
export class OrganisationsModule {}
