export * from './setup.service';
export * from './setup.module';
export * from './demo-data';
