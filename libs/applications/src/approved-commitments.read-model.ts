import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApplicantReadModel } from '@ps/applicants';
import { CatalogueRepository } from '@ps/catalogue';
import { Cents, sumCents } from '@ps/kernel';
import { ApplicationsRepository } from './applications.repository';

export interface CommittedLine {
  actionNumber: number;
  /** The applicant's priority for the action (1 = first). */
  priority: number | null;
  kpiLineId: number;
  confirmedQuantity: number;
  unitAmountCents: Cents;
  /** confirmedQuantity × unitAmountCents, exact. */
  amountCents: Cents;
}

export interface GrantedStimulus {
  kind: 'cooperation' | 'mentorship' | 'impactBond';
  cents: Cents;
}

/** One approved application: what the Flemish government committed to one applicant in one call. */
export interface ApprovedCommitment {
  applicationId: number;
  applicantId: number;
  applicantNameNl: string;
  leadLocalGovernmentId: number;
  /** The account ABB confirmed: payments go there and nowhere else. */
  confirmedPayoutIban: string | null;
  lines: CommittedLine[];
  /** What the applicant asked per action (planned reach × unit amount), also for lines ABB confirmed at 0. */
  requestedByAction: Record<number, Cents>;
  stimuli: GrantedStimulus[];
  /** The confirmed lines plus the granted stimuli. */
  confirmedTotalCents: Cents;
}

const STIMULUS_COLUMNS: [GrantedStimulus['kind'], string][] = [
  ['cooperation', 'cooperation_stimulus'],
  ['mentorship', 'mentorship_stimulus'],
  ['impactBond', 'impact_bond_stimulus'],
];

/** An application with its confirmed lines (confirmed quantity above 0), for a report on it. */
export interface ConfirmedApplication {
  applicationId: number;
  applicantId: number;
  callId: number;
  status: string;
  /** By KPI line id (`Application.lines` follows the call's catalogue: sort by it where the order matters). */
  lines: { kpiLineId: number; confirmedQuantity: number }[];
}

/**
 * The approved commitments of a call: the read model allocation, payments and KPI reporting start from.
 * Per approved application, per action and KPI line the confirmed quantity, unit amount and amount, the
 * action's priority and the granted stimuli, in integer cents. Confirmed lines of zero are left out.
 */
@Injectable()
export class ApprovedCommitments {
  constructor(
    private readonly repository: ApplicationsRepository,
    private readonly applicants: ApplicantReadModel,
    private readonly catalogue: CatalogueRepository,
  ) {}

  /** The commitments of the call of this project year, by applicant name; empty for an unknown year. */
  async ofYear(manager: EntityManager, yearNumber: number): Promise<ApprovedCommitment[]> {
    const call = await this.catalogue.callByYear(manager, yearNumber);
    return call ? this.ofCall(manager, call.id) : [];
  }

  /** The call's submitted applications that ABB has not decided yet: an allocation without them is provisional. */
  pendingReview(manager: EntityManager, callId: number): Promise<number[]> {
    return this.repository.undecidedIn(manager, callId);
  }

  /** The given applications with their lines confirmed above 0, whatever their status (the caller decides), in one query. */
  async confirmedOf(manager: EntityManager, ids: number[]): Promise<ConfirmedApplication[]> {
    if (ids.length === 0) return [];
    return (await this.repository.confirmedOf(manager, ids)).map((a) => ({
      applicationId: a.id,
      applicantId: a.applicant_id,
      callId: a.call_id,
      status: a.status,
      lines: a.lines.map(([kpiLineId, confirmedQuantity]) => ({ kpiLineId, confirmedQuantity })),
    }));
  }

  /** The approved applications of the given calls, by id: which application of which applicant in which call. */
  async approvedIn(manager: EntityManager, callIds: number[]): Promise<{ applicationId: number; applicantId: number; callId: number }[]> {
    if (callIds.length === 0) return [];
    return (await this.repository.approvedOf(manager, callIds)).map((a) => ({ applicationId: a.id, applicantId: a.applicant_id, callId: a.call_id }));
  }

  /** Pass the manager of the caller's transaction (or `dataSource.manager` outside one): on PGlite a second connection would wait. */
  async ofCall(manager: EntityManager, callId: number): Promise<ApprovedCommitment[]> {
    const applications = await this.repository.approvedIn(manager, callId);
    const ids = applications.map((a) => a.id);
    const [applicants, units, lines, priorities] = [
      await this.applicants.facts(
        manager,
        applications.map((a) => a.applicant_id),
      ),
      new Map((await this.catalogue.lineViews(manager, callId)).map((line) => [line.id, line])),
      await this.repository.confirmedLinesOf(manager, ids),
      await this.repository.prioritiesOf(manager, ids),
    ];
    const priorityByAction = new Map(priorities.map((p) => [`${p.application_id}:${p.action_number}`, p.priority]));
    const byApplicant = new Map(applications.map((a) => [a.applicant_id, a]));
    return applicants.map((applicant) => {
      const application = byApplicant.get(applicant.id)!;
      const priorityOf = (action: number) => priorityByAction.get(`${application.id}:${action}`) ?? null;
      const own = lines.filter((line) => line.application_id === application.id);
      const requestedByAction: Record<number, Cents> = {};
      for (const line of own) {
        const action = units.get(line.kpi_line_id)!.actionNumber;
        requestedByAction[action] = (requestedByAction[action] ?? 0) + Number(line.contribution_cents);
      }
      const committed = own
        .filter((line) => (line.confirmed_quantity ?? 0) > 0)
        .map((line) => {
          const unit = units.get(line.kpi_line_id)!;
          return {
            actionNumber: unit.actionNumber,
            priority: priorityOf(unit.actionNumber),
            kpiLineId: line.kpi_line_id,
            confirmedQuantity: line.confirmed_quantity!,
            unitAmountCents: unit.unitAmountCents,
            amountCents: Number(line.confirmed_contribution_cents),
          };
        })
        .sort((a, b) => a.actionNumber - b.actionNumber || a.kpiLineId - b.kpiLineId);
      const stimuli = STIMULUS_COLUMNS.filter(([, column]) => application[`${column}_granted`] === true).map(([kind, column]) => ({
        kind,
        cents: Number(application[`${column}_granted_cents`]),
      }));
      return {
        applicationId: application.id,
        applicantId: applicant.id,
        applicantNameNl: applicant.nameNl,
        leadLocalGovernmentId: applicant.leadLocalGovernmentId,
        confirmedPayoutIban: applicant.confirmedPayoutIban,
        lines: committed,
        requestedByAction,
        stimuli,
        confirmedTotalCents: sumCents([...committed.map((l) => l.amountCents), ...stimuli.map((s) => s.cents)]),
      };
    });
  }
}
