export * from './report.dto';
export * from './report-view';
export * from './reporting-rules';
export * from './reports.service';
export * from './reporting.module';
export * from './reminders';
