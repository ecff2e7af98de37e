export * from './advance';
export * from './structured-communication';
export * from './reclaim';
