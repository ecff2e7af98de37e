import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Action, Call, CallAction, KpiLine, Objective } from './catalogue.entities';
import { CatalogueReferenceData } from './catalogue-reference-data';
import { CatalogueService } from './catalogue.service';
import { CatalogueRepository } from './catalogue.repository';

@Module({
  imports: [TypeOrmModule.forFeature([Objective, Action, Call, CallAction, KpiLine])],
  providers: [CatalogueRepository, CatalogueService, CatalogueReferenceData],
  exports: [CatalogueRepository, CatalogueService, CatalogueReferenceData],
})
export class CatalogueModule {}
