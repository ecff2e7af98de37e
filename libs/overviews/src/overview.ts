import { Cents } from '@ps/kernel';
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
