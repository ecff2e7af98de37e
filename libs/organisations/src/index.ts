export * from './organisations.entities';
export * from './organisations.service';
export * from './organisations-reference-data';
export * from './organisations.module';
export * from './csv-import';
export * from './statistics-import';
export * from './organisation.read-model';
export * from './dto';
