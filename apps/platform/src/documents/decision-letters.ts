import { Injectable } from '@nestjs/common';
import { DecisionFigures, DecisionFiguresService, PublishedShare } from '@ps/allocation';
import { Application, ArchivedLetter, DecisionLetterArchive } from '@ps/applications';
import { formatBrussels, formatDate } from '@ps/kernel';
import { balancePercent } from '@ps/payments';
import { DecisionLetterContent, reductionText, renderDecisionLetterPdf } from './decision-letter-pdf';
import { addressee, advancePaid, balancePaid, letterReference } from './decision-letter-texts';
import { renderDocument } from './render-document';

const STIMULUS_NAMES = { cooperation: 'Samenwerkingsstimulans', mentorship: 'Mentorschapsstimulans', impactBond: 'Sociale impact obligatie' } as const;
const BEFORE_ALLOCATION =
  'De bevestigde bedragen zijn gevraagd voor de verdeling van het budget. Overschrijden alle aanvragen samen het budget, dan volgt na de verdeling een brief met het toegewezen bedrag, voorschot en saldo.';

/**
 * The decision letter of an application, as printable HTML (Handlebars) and as PDF (archived as first sent): both
 * present the same figures, decided in libs/allocation (DecisionFiguresService).
 */
@Injectable()
export class DecisionLetters {
  constructor(
    private readonly figures: DecisionFiguresService,
    private readonly archive: DecisionLetterArchive,
  ) {}

  async render(id: number): Promise<string> {
    const letter = await this.figures.of(id);
    const { application, call, share } = letter;
    const decisions = this.stimulusDecisions(application);
    const content = this.content(letter);
    return renderDocument('decision-letter', {
      letter: content,
      appealParagraphs: content.appealText.split('\n').filter((paragraph) => paragraph.trim()),
      reductions: content.lines.filter((l) => l.confirmedQuantity < l.requestedQuantity).map(reductionText),
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
      lines: confirmedLines(application),
      confirmedCents: letter.confirmedCents,
      confirmedLinesCents: application.confirmedLinesCents ?? 0,
      grantedStimuli: decisions.filter((d) => d.granted === true),
      refusedStimuli: decisions.filter((d) => d.granted === false),
      allocation: share && { allocatedCents: share.allocatedCents, note: allocationNote(share) },
      beforeAllocation: share ? '' : BEFORE_ALLOCATION,
      advanceCents: letter.advanceCents,
      balanceCents: letter.balanceCents,
      balancePercent: balancePercent(call.advancePercent),
    });
  }

  /** The PDF as first sent for the application's current state (the approval, or the published allocation run), with its SHA-256. */
  async pdf(id: number): Promise<ArchivedLetter & { filename: string }> {
    const letter = await this.figures.of(id);
    const archived = await this.archive.keep(id, letter.share?.runId ?? null, () => renderDecisionLetterPdf(this.content(letter)));
    const suffix = letter.share ? `-verdeling-${letter.share.runId}` : '';
    return { ...archived, filename: `beslissingsbrief-PS-${letter.application.callYear}-${id}${suffix}.pdf` };
  }

  private content(letter: DecisionFigures): DecisionLetterContent {
    const { application, call, share } = letter;
    const decisions = this.stimulusDecisions(application);
    const reference = `PS-${application.callYear}-${application.id}`;
    const finalReportDue = call.finalReportDueAt ? formatBrussels(call.finalReportDueAt) : '';
    return {
      reference,
      letterReference: letterReference(reference, share?.runId ?? null),
      addressee: addressee(letter.lead),
      addresseeAddress: '',
      letterDate: formatBrussels(share?.publishedAt ?? application.decidedAt ?? new Date(0), false),
      applicantName: application.applicantNameNl,
      callName: application.callNameNl,
      projectStart: formatDate(call.projectStart),
      projectEnd: formatDate(call.projectEnd),
      approved: application.status === 'goedgekeurd',
      decisionDate: application.decidedAt ? formatBrussels(application.decidedAt, false) : '',
      issuedAt: (share?.publishedAt ?? application.decidedAt ?? new Date(0)).toISOString(),
      refusalReason: application.decisionReason ?? '',
      lines: confirmedLines(application).map((line) => ({
        action: `${line.actionNumber}. ${line.actionTitleNl}`,
        unit: line.unitNl,
        requestedQuantity: line.plannedReach,
        requestedAmountCents: line.contributionCents,
        confirmedQuantity: line.confirmedQuantity ?? 0,
        unitAmountCents: line.unitAmountCents,
        amountCents: line.confirmedContributionCents ?? 0,
        reductionReason: line.reductionReason ?? '',
      })),
      grantedStimuli: decisions.filter((d) => d.granted === true).map((d) => ({ name: d.nameNl, amountCents: d.grantedCents ?? 0 })),
      refusedStimuli: decisions.filter((d) => d.granted === false).map((d) => ({ name: d.nameNl, reason: d.refusalReason ?? '' })),
      totalCents: letter.confirmedCents,
      cofinancingCents: application.confirmedLinesCents ?? 0,
      advancePercent: call.advancePercent,
      advanceCents: letter.advanceCents,
      balancePercent: balancePercent(call.advancePercent),
      balanceCents: letter.balanceCents,
      interimReportDue: call.interimReportDueAt ? formatBrussels(call.interimReportDueAt) : '',
      interimThresholdPercent: call.interimThresholdPercent,
      finalReportDue,
      advancePaid: advancePaid(share ? formatBrussels(share.publishedAt, false) : null),
      balancePaid: balancePaid(finalReportDue),
      signatoryName: call.signatoryName ?? '',
      signatoryFunction: call.signatoryFunction ?? '',
      appealText: call.appealText ?? '',
      ...(share ? { allocation: { allocatedCents: share.allocatedCents, note: allocationNote(share) } } : {}),
    };
  }

  private stimulusDecisions(application: Application) {
    return (Object.keys(STIMULUS_NAMES) as (keyof typeof STIMULUS_NAMES)[]).map((kind) => ({
      nameNl: STIMULUS_NAMES[kind],
      ...application.stimulusDecisions[kind],
    }));
  }
}

const confirmedLines = (application: Application) => application.lines.filter((l) => l.confirmedQuantity !== null && l.plannedReach > 0);

function allocationNote(share: PublishedShare): string {
  return `Volgens de verdeling van het budget, gepubliceerd op ${formatBrussels(share.publishedAt, false)} (verdeling ${share.runId}).`;
}
