export * from './mail-outbox.service';
