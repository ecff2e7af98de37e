export * from './task-rules';
export * from './tasks.read-model';
export * from './tasks.module';
