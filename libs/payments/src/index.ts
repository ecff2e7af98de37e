export * from './advance';
export * from './structured-communication';
export * from './reclaim';
export * from './sepa-credit-transfer';
