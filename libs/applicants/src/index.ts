export * from './applicant.entities';
export * from './applicants.service';
export * from './applicants.module';
