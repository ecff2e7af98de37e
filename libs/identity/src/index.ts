export * from './roles';
export * from './user.entity';
export * from './passwords';
export * from './users.service';
export * from './identity.module';
