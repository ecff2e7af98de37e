export * from './overview';
export * from './overview-filter.dto';
export * from './overview-csv';
export * from './overview-chart';
export * from './overviews.service';
export * from './overviews.module';
export * from './overview-xlsx';
