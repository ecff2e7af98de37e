import { Module } from '@nestjs/common';
import { DataVersionRepository } from './data-version.repository';
import { OverviewsReadModel } from './overviews.read-model';
import { OverviewsService } from './overviews.service';

@Module({
  providers: [OverviewsReadModel, DataVersionRepository, OverviewsService],
  exports: [OverviewsService],
})
export class OverviewsModule {}
