export * from './platform-config';
export * from './config.module';
export * from './clock.module';
export * from './startup-warnings';
