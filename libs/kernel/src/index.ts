export * from './money';
export * from './brussels-time';
export * from './clock';
export * from './project-root';
export * from './identifiers';
export * from './errors';
export * from './validators';
