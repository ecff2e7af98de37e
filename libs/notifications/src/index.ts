export * from './mail';
export * from './mail-delivery';
export * from './mail-outbox.service';
export * from './notice-worker';
export * from './delivery-policy';
export * from './delivery-state';
export * from './notice-texts';
