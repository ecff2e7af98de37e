import { ConfirmedLine, extensionOutlook } from './extension-outlook';

const line = (over: Partial<ConfirmedLine>): ConfirmedLine => ({
  actionNumber: 5,
  position: 1,
  unitNl: 'deelnemers',
  confirmedQuantity: 40,
  interimRealised: null,
  positiveEvaluation: false,
  overrideReason: null,
  ...over,
});
const titles = new Map([
  [5, 'Nederlands oefenen'],
  [9, 'Buddywerking'],
  [24, 'Lerend netwerk'],
]);
const menu4 = new Map([
  [5, [1, 2]],
  [9, [1]],
  [25, [1]],
]);
const outlook = (lines: ConfirmedLine[]) => extensionOutlook(lines, titles, menu4, 4, 25);

describe('which actions extend into the next call, and why (extensionOutlook)', () => {
  it('extends a line at exactly 25 % of its confirmed quantity and not one unit below, saying so', () => {
    expect(outlook([line({ interimRealised: 10 })])).toEqual([
      {
        actionNumber: 5,
        titleNl: 'Nederlands oefenen',
        mayExtend: true,
        reasons: ['KPI-lijn 5.1 (deelnemers): tussentijds 10 van 40 gerealiseerd (25 %), minstens de 25 % die nodig is: te verlengen.'],
      },
    ]);
    expect(outlook([line({ interimRealised: 9 })])[0]).toMatchObject({
      mayExtend: false,
      reasons: [
        'KPI-lijn 5.1 (deelnemers): tussentijds 9 van 40 gerealiseerd (22,5 %), minder dan de 25 % die nodig is, en geen positieve evaluatie of afwijking van ABB: niet te verlengen.',
      ],
    });
  });

  it('never shows a share under the threshold as reaching it: the share is cut, not rounded', () => {
    expect(outlook([line({ confirmedQuantity: 1001, interimRealised: 250 })])[0]).toMatchObject({
      mayExtend: false,
      reasons: [expect.stringContaining('(24,9 %), minder dan de 25 %')],
    });
  });

  it('extends a line below the threshold on ABB’s positive evaluation or override, naming it; not without an interim result', () => {
    expect(outlook([line({ interimRealised: 2, positiveEvaluation: true })])[0].reasons).toEqual([
      'KPI-lijn 5.1 (deelnemers): tussentijds 2 van 40 gerealiseerd (5 %), minder dan 25 %, maar ABB gaf een positieve evaluatie: te verlengen.',
    ]);
    expect(outlook([line({ overrideReason: ' Wachtlijst in het najaar ' })])[0].reasons).toEqual([
      'KPI-lijn 5.1 (deelnemers): nog geen tussentijds resultaat, minder dan 25 %, maar ABB wijkt af (Wachtlijst in het najaar): te verlengen.',
    ]);
    expect(outlook([line({ overrideReason: '  ' })])[0].mayExtend).toBe(false);
  });

  it('does not extend an action the next call retired, nor a line without a counterpart; an action extends when one line does', () => {
    const result = outlook([
      line({ actionNumber: 24, interimRealised: 40 }),
      line({ position: 3, interimRealised: 40 }),
      line({ position: 1, interimRealised: 0 }),
      line({ actionNumber: 9, interimRealised: 3, confirmedQuantity: 3 }),
    ]);
    expect(result.map((a) => [a.actionNumber, a.mayExtend])).toEqual([
      [5, false],
      [9, true],
      [24, false],
    ]);
    expect(result[0].reasons[1]).toBe('KPI-lijn 5.3 bestaat niet in projectjaar 4: niet te verlengen.');
    expect(result[2].reasons).toEqual(['Actie 24 staat niet in het menu van projectjaar 4: niet te verlengen.']);
    expect(outlook([line({ interimRealised: 0 }), line({ position: 2, interimRealised: 20 })])[0].mayExtend).toBe(true);
  });
});
