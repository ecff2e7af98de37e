import { mayExtend } from './workflow';

/** A confirmed line of the approved application of the earlier year, with what decides its extension. */
export interface ConfirmedLine {
  actionNumber: number;
  position: number;
  unitNl: string;
  confirmedQuantity: number;
  interimRealised: number | null;
  positiveEvaluation: boolean;
  overrideReason: string | null;
}

/** One action of the earlier application: may it be extended into the next call, and why (one Dutch sentence per line). */
export interface ActionOutlook {
  actionNumber: number;
  titleNl: string;
  mayExtend: boolean;
  reasons: string[];
}

/** The realised share, cut (not rounded) to one decimal, so a line just under the threshold never reads as reaching it. */
function shareNl(realised: number, confirmed: number): string {
  const tenths = confirmed === 0 ? 1000 : Math.floor((realised * 1000) / confirmed);
  return `${Math.floor(tenths / 10)}${tenths % 10 === 0 ? '' : `,${tenths % 10}`} %`;
}

function lineReason(line: ConfirmedLine, percent: number, extend: boolean): string {
  const name = `KPI-lijn ${line.actionNumber}.${line.position} (${line.unitNl})`;
  const interim =
    line.interimRealised === null
      ? 'nog geen tussentijds resultaat'
      : `tussentijds ${line.interimRealised} van ${line.confirmedQuantity} gerealiseerd (${shareNl(line.interimRealised, line.confirmedQuantity)})`;
  if (!extend) return `${name}: ${interim}, minder dan de ${percent} % die nodig is, en geen positieve evaluatie of afwijking van ABB: niet te verlengen.`;
  if (line.interimRealised !== null && line.interimRealised * 100 >= line.confirmedQuantity * percent)
    return `${name}: ${interim}, minstens de ${percent} % die nodig is: te verlengen.`;
  if (line.positiveEvaluation) return `${name}: ${interim}, minder dan ${percent} %, maar ABB gaf een positieve evaluatie: te verlengen.`;
  return `${name}: ${interim}, minder dan ${percent} %, maar ABB wijkt af (${line.overrideReason!.trim()}): te verlengen.`;
}

/**
 * Per action of the approved application of the earlier year, whether it may be extended into the next call (`year`) and
 * why: the action must still be in the next call's menu with a line at the same position, and a line extends by the 25 %
 * rule, a positive evaluation or ABB's override (`mayExtend`, as the carry-over applies it). An action extends when one of
 * its lines does. `nextMenu` maps the next call's action numbers to their KPI line positions; titles are the earlier call's.
 */
export function extensionOutlook(
  lines: ConfirmedLine[],
  titles: Map<number, string>,
  nextMenu: Map<number, number[]>,
  year: number,
  thresholdPercent: number,
): ActionOutlook[] {
  const byAction = new Map<number, ConfirmedLine[]>();
  for (const line of [...lines].sort((a, b) => a.actionNumber - b.actionNumber || a.position - b.position))
    byAction.set(line.actionNumber, [...(byAction.get(line.actionNumber) ?? []), line]);
  return [...byAction].map(([actionNumber, actionLines]) => {
    const titleNl = titles.get(actionNumber) ?? `Actie ${actionNumber}`;
    const positions = nextMenu.get(actionNumber);
    if (!positions)
      return { actionNumber, titleNl, mayExtend: false, reasons: [`Actie ${actionNumber} staat niet in het menu van projectjaar ${year}: niet te verlengen.`] };
    const verdicts = actionLines.map((line) => {
      if (!positions.includes(line.position))
        return { extend: false, reason: `KPI-lijn ${actionNumber}.${line.position} bestaat niet in projectjaar ${year}: niet te verlengen.` };
      const extend = mayExtend(line, thresholdPercent);
      return { extend, reason: lineReason(line, thresholdPercent, extend) };
    });
    return { actionNumber, titleNl, mayExtend: verdicts.some((v) => v.extend), reasons: verdicts.map((v) => v.reason) };
  });
}
