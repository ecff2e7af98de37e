export * from './application-rules';
export * from './workflow';
export * from './applications.service';
export * from './applications.module';
export * from './calls-administration';
export * from './call-settings';
