export * from './reminders.module';
export * from './report-reminders';
export * from './reminder-schedule';
export * from './reminder-mail';
export { REMINDERS_LOCK } from './reminders.repository';
