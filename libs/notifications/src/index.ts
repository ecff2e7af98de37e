export * from './mail';
export * from './mail-delivery';
export * from './mail-outbox.service';
