export * from './advance';
export * from './structured-communication';
export * from './reclaim';
export * from './sepa-credit-transfer';
export * from './payment-file';
export * from './payment-file.dto';
