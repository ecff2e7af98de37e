import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Cents, centsColumn } from '@ps/kernel';

@Entity('objective')
export class Objective {
  @PrimaryColumn({ type: 'varchar' }) code: string;
  @Column({ name: 'name_nl', type: 'varchar' }) nameNl: string;
  @Column({ type: 'smallint' }) position: number;
  /** The project year whose call introduced the objective; null: from the start. */
  @Column({ name: 'first_year', type: 'smallint', nullable: true }) firstYear: number | null;
}

@Entity('action')
export class Action {
  @PrimaryColumn({ type: 'smallint' }) number: number;
  @Column({ name: 'objective_code', type: 'varchar' }) objectiveCode: string;
  @Column({ name: 'title_nl', type: 'varchar' }) titleNl: string;
}

export const CALL_STATES = ['draft', 'published', 'closed'] as const;
export type CallState = (typeof CALL_STATES)[number];

/** A call for applications = one project year, with its own settings and KPI catalogue. */
@Entity('call')
export class Call {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'year_number', type: 'smallint' }) yearNumber: number;
  @Column({ name: 'name_nl', type: 'varchar' }) nameNl: string;
  @Column({ name: 'submission_opens_at', type: 'timestamptz' }) submissionOpensAt: Date;
  @Column({ name: 'submission_closes_at', type: 'timestamptz' }) submissionClosesAt: Date;
  @Column({ name: 'project_start', type: 'date' }) projectStart: string;
  @Column({ name: 'project_end', type: 'date' }) projectEnd: string;
  @Column({ name: 'budget_cents', type: 'bigint', nullable: true, transformer: centsColumn }) budgetCents: Cents | null;
  @Column({ name: 'decision_date', type: 'date', nullable: true }) decisionDate: string | null;
  @Column({ name: 'interim_report_due_at', type: 'timestamptz', nullable: true }) interimReportDueAt: Date | null;
  @Column({ name: 'final_report_due_at', type: 'timestamptz', nullable: true }) finalReportDueAt: Date | null;
  @Column({ name: 'eligibility_threshold', type: 'integer' }) eligibilityThreshold: number;
  @Column({ name: 'origin_definition', type: 'varchar' }) originDefinition: string;
  @Column({ name: 'statistics_reference_year', type: 'smallint' }) statisticsReferenceYear: number;
  @Column({ name: 'only_existing_applicants', type: 'boolean' }) onlyExistingApplicants: boolean;
  @Column({ name: 'cooperation_stimulus_cents', type: 'bigint', transformer: centsColumn }) cooperationStimulusCents: Cents;
  @Column({ name: 'mentorship_stimulus_cents', type: 'bigint', nullable: true, transformer: centsColumn }) mentorshipStimulusCents: Cents | null;
  @Column({ name: 'impact_bond_stimulus_cents', type: 'bigint', nullable: true, transformer: centsColumn }) impactBondStimulusCents: Cents | null;
  @Column({ name: 'interim_threshold_percent', type: 'smallint' }) interimThresholdPercent: number;
  @Column({ name: 'reclaim_rule', type: 'varchar' }) reclaimRule: string;
  @Column({ name: 'reclaim_tolerance_percent', type: 'smallint' }) reclaimTolerancePercent: number;
  /** A waiver that forgoes more than this needs a second ABB person (four eyes). */
  @Column({ name: 'waiver_approval_threshold_cents', type: 'bigint', transformer: centsColumn }) waiverApprovalThresholdCents: Cents;
  /** Percentage of the confirmed amount paid as an advance; the balance follows the final report. */
  @Column({ name: 'advance_percent', type: 'smallint' }) advancePercent: number;
  @Column({ name: 'catalogue_version', type: 'integer' }) catalogueVersion: number;
  /** draft (only ABB sees it) → published (officers see it, its window applies) → closed. */
  @Column({ type: 'varchar' }) state: CallState;
  /** Who may apply: null, every eligible local government; a year, only the applicants of that project year's call. */
  @Column({ name: 'applicants_of_year', type: 'smallint', nullable: true }) applicantsOfYear: number | null;
  /** Name and function of the ABB official who decides, as the decision letters name them. */
  @Column({ name: 'signatory_name', type: 'varchar', nullable: true }) signatoryName: string | null;
  @Column({ name: 'signatory_function', type: 'varchar', nullable: true }) signatoryFunction: string | null;
  /** How and within what term a decision can be contested, as ABB words it (the Bestuursdecreet requires it in a decision). */
  @Column({ name: 'appeal_text', type: 'varchar', nullable: true }) appealText: string | null;
  @Column({ type: 'integer' }) version: number;
}

/** Whether the plan funds an action in a call. */
@Entity('call_action')
export class CallAction {
  @PrimaryColumn({ name: 'call_id', type: 'integer' }) callId: number;
  @PrimaryColumn({ name: 'action_number', type: 'smallint' }) actionNumber: number;
  @Column({ type: 'boolean' }) funded: boolean;
  /** The action's title in this call: a later call may rename it, an earlier one keeps its own. */
  @Column({ name: 'title_nl', type: 'varchar' }) titleNl: string;
}

/** One measurable KPI of an action in a call: unit, maximum per applicant and Flemish contribution per unit. */
@Entity('kpi_line')
export class KpiLine {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'call_id', type: 'integer' }) callId: number;
  @Column({ name: 'action_number', type: 'smallint' }) actionNumber: number;
  @Column({ type: 'smallint' }) position: number;
  @Column({ name: 'description_nl', type: 'varchar' }) descriptionNl: string;
  @Column({ name: 'unit_nl', type: 'varchar' }) unitNl: string;
  @Column({ name: 'max_quantity', type: 'integer' }) maxQuantity: number;
  @Column({ name: 'unit_amount_cents', type: 'bigint', transformer: centsColumn }) unitAmountCents: Cents;
}
