import { reachesInterimThreshold } from '@ps/applications';
import { ReportKind } from './report.dto';

/**
 * KPI lines whose report always needs a motivation, whatever was realised: action plans, correspondence tests and
 * pleinmakers (PLAN-SAMENLEVEN.md, "Review, allocation, payment, reclaim"). The catalogue has no flag for them, so
 * they are recognised by their unit or action title.
 */
const ALWAYS_MOTIVATED = /actieplan|correspondentietest|pleinmaker/i;

export function alwaysNeedsMotivation(line: { unitNl: string; actionTitleNl: string }): boolean {
  return ALWAYS_MOTIVATED.test(line.unitNl) || ALWAYS_MOTIVATED.test(line.actionTitleNl);
}

/** Realised as a whole percentage of the confirmed quantity, rounded down; null while nothing is reported. */
export function realisationPercent(confirmed: number, realised: number | null): number | null {
  if (realised === null) return null;
  return confirmed === 0 ? 100 : Math.floor((realised * 100) / confirmed);
}

/** Reported, and below the call's interim threshold (the 25 % rule, `reachesInterimThreshold`). */
export function belowThreshold(confirmed: number, realised: number | null, thresholdPercent: number): boolean {
  return realised !== null && !reachesInterimThreshold(confirmed, realised, thresholdPercent);
}

export function motivationRequired(line: { unitNl: string; actionTitleNl: string; confirmedQuantity: number }, realised: number | null): boolean {
  return alwaysNeedsMotivation(line) || (realised !== null && realised < line.confirmedQuantity);
}

/** What stands between a report and its submission, per field (`realisedQuantity-<kpiLineId>`, `motivation-<kpiLineId>`). */
export function submissionProblems(
  lines: { kpiLineId: number; unitNl: string; actionTitleNl: string; confirmedQuantity: number; realisedQuantity: number | null; motivation: string }[],
): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  for (const line of lines) {
    if (line.realisedQuantity === null) problems[`realisedQuantity-${line.kpiLineId}`] = ['Vul het gerealiseerde aantal in.'];
    else if (motivationRequired(line, line.realisedQuantity) && line.motivation.trim() === '') {
      problems[`motivation-${line.kpiLineId}`] = [
        alwaysNeedsMotivation(line)
          ? 'Motiveer deze KPI: dat is altijd nodig voor actieplannen, correspondentietesten en pleinmakers.'
          : 'Motiveer waarom de bevestigde hoeveelheid niet gehaald is.',
      ];
    }
  }
  return problems;
}

/** A report may be changed and submitted until its deadline, and afterwards only while ABB has reopened it. */
export function reportOpen(now: Date, dueAt: Date | null, reopenedUntil: Date | null): boolean {
  if (reopenedUntil && now <= reopenedUntil) return true;
  return dueAt === null || now <= dueAt;
}

export const REPORT_KIND_NL: Record<ReportKind, string> = { interim: 'tussentijds rapport', final: 'eindrapport' };
