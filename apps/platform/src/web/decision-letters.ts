import { ConflictException, Injectable } from '@nestjs/common';
import { ApplicationsService } from '@ps/applications';
import { CatalogueService } from '@ps/catalogue';
import { Cents, formatBrussels, formatDate } from '@ps/kernel';
import { renderDocument } from './view-engine';

/** The advance is the call's share (80 % by default) of the confirmed amount, rounded down to the cent; the balance is the rest, so they add up exactly. */
export function advanceAndBalance(totalCents: Cents, advancePercent: number): { advanceCents: Cents; balanceCents: Cents } {
  const advanceCents = Math.floor((totalCents * advancePercent) / 100);
  return { advanceCents, balanceCents: totalCents - advanceCents };
}

/** The decision letter of an application, as printable HTML from a Handlebars template. */
@Injectable()
export class DecisionLetters {
  constructor(private readonly applications: ApplicationsService, private readonly catalogue: CatalogueService) {}

  async render(id: number): Promise<string> {
    const application = await this.applications.get(id);
    if (application.status !== 'goedgekeurd' && application.status !== 'afgewezen') {
      throw new ConflictException({ statusCode: 409, message: 'Een beslissingsbrief bestaat pas na goedkeuring of afwijzing.' });
    }
    const call = await this.catalogue.getCallByYear(application.callYear);
    const lines = application.lines.filter((l) => l.confirmedQuantity !== null && l.plannedReach > 0);
    const confirmed = application.confirmedTotalCents ?? 0;
    const names = { cooperation: 'Samenwerkingsstimulans', mentorship: 'Mentorschapsstimulans', impactBond: 'Sociale impact obligatie' } as const;
    const decisions = (Object.keys(names) as (keyof typeof names)[]).map((kind) => ({ nameNl: names[kind], ...application.stimulusDecisions[kind] }));
    return renderDocument('decision-letter', {
      application,
      approved: application.status === 'goedgekeurd',
      decided: application.decidedAt ? formatBrussels(application.decidedAt, false) : '',
      call: { ...call, start: formatDate(call.projectStart), end: formatDate(call.projectEnd), interim: call.interimReportDueAt && formatBrussels(call.interimReportDueAt), final: call.finalReportDueAt && formatBrussels(call.finalReportDueAt) },
      lines,
      confirmedCents: confirmed,
      confirmedLinesCents: application.confirmedLinesCents ?? 0,
      grantedStimuli: decisions.filter((d) => d.granted === true),
      refusedStimuli: decisions.filter((d) => d.granted === false),
      ...advanceAndBalance(confirmed, call.advancePercent),
      balancePercent: 100 - call.advancePercent,
    });
  }
}
