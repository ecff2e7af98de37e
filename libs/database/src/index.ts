export * from './database.module';
export * from './data-source-options';
export * from './pglite-pool';
export * from './data-dir-lock';
export * from './bulk-insert';
export * from './migrations';
export * from './preflight';
export * from './transactions';
