import { Module } from '@nestjs/common';
import { OverviewsReadModel } from './overviews.read-model';
import { OverviewsService } from './overviews.service';

@Module({
  providers: [OverviewsReadModel, OverviewsService],
  exports: [OverviewsService],
})
export class OverviewsModule {}
