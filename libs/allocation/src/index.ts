export * from './allocation-rules';
export * from './allocation.dto';
export * from './allocation.service';
export * from './decision-figures';
export * from './allocation.module';
export * from './settlement.service';
export * from './proposal.dto';
export * from './proposals.service';
