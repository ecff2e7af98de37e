import { Cents, ColumnKinds, RowList } from '@ps/kernel';
import { OverviewFilter } from './overview-filter.dto';

export interface UnitFigures {
  unitNl: string;
  /** Sum of the confirmed quantities of the approved applications' KPI lines of this unit. */
  committedQuantity: number;
  /** Sum of the realised quantities in accepted interim reports on those lines. */
  realisedInterim: number;
  /** Sum of the realised quantities in accepted final reports on those lines. */
  realisedFinal: number;
}

/** One action in one project year. */
export interface ActionYearFigures {
  year: number;
  actionNumber: number;
  actionTitleNl: string;
  objectiveCode: string;
  /** Sum of the confirmed KPI amounts (confirmed quantity × unit amount) of approved applications; stimuli excluded. */
  committedCents: Cents;
  /** Sum of the per-action allocated amounts in the call's published allocation run; 0 while none is published. */
  allocatedCents: Cents;
  /** Distinct member local governments of the applicants counted in `applicants`. */
  localGovernments: number;
  /** Applicants with an approved application with a confirmed line above 0 in this action. */
  applicants: number;
  units: UnitFigures[];
}

export interface ObjectiveFigures {
  code: string;
  nameNl: string;
  committedCents: Cents;
  allocatedCents: Cents;
}

/** The overview per action per project year, with the totals per objective: the same object for page, CSV and API. */
export interface ActionsOverview {
  filters: OverviewFilter;
  generatedAt: Date;
  rows: ActionYearFigures[];
  objectives: ObjectiveFigures[];
}

/** One member local government, project year and action: the amounts of the applicant it is a member of. */
export interface LocalGovernmentFigures {
  localGovernmentId: number;
  nisCode: string | null;
  localGovernmentNl: string;
  provinceNl: string | null;
  /** The reference region's name; null when the local government is in none. */
  regionNl: string | null;
  year: number;
  applicantNl: string;
  actionNumber: number;
  actionTitleNl: string;
  /** The applicant's confirmed KPI amount in this action: a cooperation's amounts appear with each of its members. */
  committedCents: Cents;
  /** What the published allocation run allocated to the applicant in this action; 0 while none is published. */
  allocatedCents: Cents;
  /** The NIS code(s) as they were: as it was the row's own; mapped onto today, the member predecessors' (", " between them). */
  nisCodeAsWas: string | null;
  /** The NIS code of the municipality the row's local government is part of today. */
  nisCodeToday: string | null;
}

export const LOCAL_GOVERNMENT_COLUMNS: ColumnKinds<LocalGovernmentFigures> = {
  localGovernmentId: 'number',
  nisCode: 'text',
  localGovernmentNl: 'text',
  provinceNl: 'text',
  regionNl: 'text',
  year: 'number',
  applicantNl: 'text',
  actionNumber: 'number',
  actionTitleNl: 'text',
  committedCents: 'number',
  allocatedCents: 'number',
  nisCodeAsWas: 'text',
  nisCodeToday: 'text',
};

/** A province or reference region: the applicants with at least one member local government in it, each counted whole. */
export interface AreaFigures {
  /** The province's name, or the reference region's code. */
  code: string;
  nameNl: string;
  applicants: number;
  /** The member local governments in this area of those applicants. */
  localGovernments: number;
  committedCents: Cents;
  allocatedCents: Cents;
}

/** Per local government, and the totals per province and per reference region: the same object for page, exports and API. */
export interface LocalGovernmentsOverview {
  filters: OverviewFilter;
  generatedAt: Date;
  /** Kept for long, as columns (`ColumnRows`): read them with `map`, `slice` or `for … of`. */
  rows: RowList<LocalGovernmentFigures>;
  provinces: AreaFigures[];
  regions: AreaFigures[];
}

/** One page of the rows per local government (`page`, `pageSize`, `total`, `pages` as in kernel paging.ts); the totals per area whole. */
export interface LocalGovernmentsOverviewPage extends Omit<LocalGovernmentsOverview, 'rows'> {
  rows: LocalGovernmentFigures[];
  page: number;
  pageSize: number;
  total: number;
  pages: number;
}
