export * from './catalogue.entities';
export * from './catalogue.service';
export * from './catalogue-reference-data';
export * from './catalogue.module';
export * from './catalogue.repository';
export * from './dto';
