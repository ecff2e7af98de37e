export * from './audit.service';
export * from './security-log.service';
export * from './audit.module';
export * from './versioned-change';
export * from './dto';
