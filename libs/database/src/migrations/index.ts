import { Foundation1763790000000 } from './1763790000000-foundation';
import { AccountsAndAudit1763800000000 } from './1763800000000-accounts-and-audit';
import { ApplicantsAndPartners1763810000000 } from './1763810000000-applicants-and-partners';
import { Applications1763820000000 } from './1763820000000-applications';
import { Approvals1763900000000 } from './1763900000000-approvals';
import { SecurityLog1763930000000 } from './1763930000000-security-log';
import { CallAdvanceShare1763940000000 } from './1763940000000-call-advance-share';
import { DeadlineRush1764000000000 } from './1764000000000-deadline-rush';
import { Allocation1764100000000 } from './1764100000000-allocation';
import { KpiReporting1764200000000 } from './1764200000000-kpi-reporting';
import { OverviewViews1764300000000 } from './1764300000000-overview-views';
import { OverviewIndexes1764400000000 } from './1764400000000-overview-indexes';
import { OverviewKpiLineCatalogue1764500000000 } from './1764500000000-overview-kpi-line-catalogue';
import { OutboxWithoutSecrets1764600000000 } from './1764600000000-outbox-without-secrets';
import { SignInSourceThrottle1764630000000 } from './1764630000000-sign-in-source-throttle';
import { LocalGovernmentValidity1764710000000 } from './1764710000000-local-government-validity';
import { CallLife1764720000000 } from './1764720000000-call-life';
import { FourEyes1764740000000 } from './1764740000000-four-eyes';
import { IdentityProvider1764750000000 } from './1764750000000-identity-provider';
import { Notices1764760000000 } from './1764760000000-notices';
import { DecisionLetterSettings1764790000000 } from './1764790000000-decision-letter-settings';
import { OverviewToday1764824000000 } from './1764824000000-overview-today';
import { OverviewChangesThatCount1764830000000 } from './1764830000000-overview-changes-that-count';
import { RouteIndexes1764840000000 } from './1764840000000-route-indexes';
import { OrganisationsVersion1764850000000 } from './1764850000000-organisations-version';
import { ApplicantsVersion1764860000000 } from './1764860000000-applicants-version';
import { ApplicantIndexes1764870000000 } from './1764870000000-applicant-indexes';

/** Every migration, in order. Listed explicitly so the same list runs from src and dist. */
export const migrations = [
  Foundation1763790000000,
  AccountsAndAudit1763800000000,
  ApplicantsAndPartners1763810000000,
  Applications1763820000000,
  Approvals1763900000000,
  SecurityLog1763930000000,
  CallAdvanceShare1763940000000,
  DeadlineRush1764000000000,
  Allocation1764100000000,
  KpiReporting1764200000000,
  OverviewViews1764300000000,
  OverviewIndexes1764400000000,
  OverviewKpiLineCatalogue1764500000000,
  OutboxWithoutSecrets1764600000000,
  SignInSourceThrottle1764630000000,
  LocalGovernmentValidity1764710000000,
  CallLife1764720000000,
  FourEyes1764740000000,
  IdentityProvider1764750000000,
  Notices1764760000000,
  DecisionLetterSettings1764790000000,
  OverviewToday1764824000000,
  OverviewChangesThatCount1764830000000,
  RouteIndexes1764840000000,
  OrganisationsVersion1764850000000,
  ApplicantsVersion1764860000000,
  ApplicantIndexes1764870000000,
];
