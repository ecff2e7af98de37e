export * from './applicant.entities';
export * from './applicants.service';
export * from './documents.service';
export * from './partners.service';
export * from './eligibility';
export * from './eligibility-overview';
export * from './dto';
export * from './applicants.module';
