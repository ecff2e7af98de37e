import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Action, Call, CallAction, KpiLine, Objective } from './catalogue.entities';
import { CatalogueReferenceData } from './catalogue-reference-data';
import { CatalogueService } from './catalogue.service';

@Module({
  imports: [TypeOrmModule.forFeature([Objective, Action, Call, CallAction, KpiLine])],
  providers: [CatalogueService, CatalogueReferenceData],
  exports: [CatalogueService, CatalogueReferenceData],
})
export class CatalogueModule {}
