export * from './report.dto';
export * from './report-view';
export * from './reporting-rules';
export * from './reports.service';
export * from './reporting.module';
export * from './reminders';
export { MAX_WORKBOOK_BYTES, WorkbookImports } from './workbook/workbook-imports.service';
export { StaleWorkbook } from './workbook/workbook-changes';
export type { WorkbookChange } from './workbook/workbook-changes';
