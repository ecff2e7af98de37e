import { Injectable } from '@nestjs/common';
import { ApplicationsService, isDecided } from '@ps/applications';
import { CatalogueService } from '@ps/catalogue';
import { Conflict, formatBrussels, formatDate } from '@ps/kernel';
import { advanceAndBalance, balancePercent } from '@ps/payments';
import { renderDocument } from './render-document';

const STIMULUS_NAMES = { cooperation: 'Samenwerkingsstimulans', mentorship: 'Mentorschapsstimulans', impactBond: 'Sociale impact obligatie' } as const;

/** The decision letter of an application, as printable HTML from a Handlebars template; the API and the pages both serve it. */
@Injectable()
export class DecisionLetters {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly catalogue: CatalogueService,
  ) {}

  async render(id: number): Promise<string> {
    const application = await this.applications.get(id);
    if (!isDecided(application.status)) {
      throw new Conflict('Een beslissingsbrief bestaat pas na goedkeuring of afwijzing.');
    }
    const call = await this.catalogue.getCallByYear(application.callYear);
    const lines = application.lines.filter((l) => l.confirmedQuantity !== null && l.plannedReach > 0);
    const confirmed = application.confirmedTotalCents ?? 0;
    const decisions = (Object.keys(STIMULUS_NAMES) as (keyof typeof STIMULUS_NAMES)[]).map((kind) => ({
      nameNl: STIMULUS_NAMES[kind],
      ...application.stimulusDecisions[kind],
    }));
    return renderDocument('decision-letter', {
      application,
      approved: application.status === 'goedgekeurd',
      decided: application.decidedAt ? formatBrussels(application.decidedAt, false) : '',
      call: {
        ...call,
        start: formatDate(call.projectStart),
        end: formatDate(call.projectEnd),
        interim: call.interimReportDueAt && formatBrussels(call.interimReportDueAt),
        final: call.finalReportDueAt && formatBrussels(call.finalReportDueAt),
      },
      lines,
      confirmedCents: confirmed,
      confirmedLinesCents: application.confirmedLinesCents ?? 0,
      grantedStimuli: decisions.filter((d) => d.granted === true),
      refusedStimuli: decisions.filter((d) => d.granted === false),
      ...advanceAndBalance(confirmed, call.advancePercent),
      balancePercent: balancePercent(call.advancePercent),
    });
  }
}
