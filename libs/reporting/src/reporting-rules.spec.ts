import { alwaysNeedsMotivation, belowThreshold, motivationRequired, realisationPercent, reportOpen, submissionProblems } from './reporting-rules';
import { safeFilename } from './reports.service';

describe('reporting rules', () => {
  it('always asks a motivation for action plans, correspondence tests and pleinmakers', () => {
    expect(alwaysNeedsMotivation({ unitNl: 'lokaal actieplan', actionTitleNl: 'Polarisatie' })).toBe(true);
    expect(alwaysNeedsMotivation({ unitNl: 'bestuur dat correspondentietesten inzet', actionTitleNl: '' })).toBe(true);
    expect(alwaysNeedsMotivation({ unitNl: 'pleinmakers', actionTitleNl: '' })).toBe(true);
    expect(alwaysNeedsMotivation({ unitNl: 'volwassen anderstaligen', actionTitleNl: 'Oefenkansen' })).toBe(false);
    const line = { unitNl: 'volwassen anderstaligen', actionTitleNl: 'Oefenkansen', confirmedQuantity: 10 };
    expect([motivationRequired(line, 10), motivationRequired(line, 11), motivationRequired(line, 9), motivationRequired(line, null)]).toEqual([
      false,
      false,
      true,
      false,
    ]);
  });

  it('computes the realisation in whole percent, rounded down, and the 25 % flag exactly at the boundary', () => {
    expect(realisationPercent(3, 1)).toBe(33);
    expect(realisationPercent(10, null)).toBeNull();
    // 25 of 100 reaches 25 %; 1 of 4 too; 2 of 9 (22.2 %) does not, nor 249 of 1000.
    expect([belowThreshold(100, 25, 25), belowThreshold(4, 1, 25), belowThreshold(9, 2, 25), belowThreshold(1000, 249, 25)]).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(belowThreshold(10, null, 25)).toBe(false);
  });

  it('names what stands between a report and its submission per field', () => {
    const base = { unitNl: 'deelnemers', actionTitleNl: 'Ontmoeting', confirmedQuantity: 10, motivation: '' };
    expect(
      submissionProblems([
        { ...base, kpiLineId: 1, realisedQuantity: null },
        { ...base, kpiLineId: 2, realisedQuantity: 4 },
        { ...base, kpiLineId: 3, realisedQuantity: 4, motivation: '  ' },
        { ...base, kpiLineId: 4, realisedQuantity: 4, motivation: 'Zaal afgebrand.' },
        { ...base, kpiLineId: 5, realisedQuantity: 12 },
      ]),
    ).toEqual({
      'realisedQuantity-1': ['Vul het gerealiseerde aantal in.'],
      'motivation-2': ['Motiveer waarom de bevestigde hoeveelheid niet gehaald is.'],
      'motivation-3': ['Motiveer waarom de bevestigde hoeveelheid niet gehaald is.'],
    });
  });

  it('keeps a report open until its deadline, and afterwards only while reopened', () => {
    const due = new Date('2025-03-31T21:59:00Z');
    expect(reportOpen(new Date('2025-03-31T21:59:00Z'), due, null)).toBe(true);
    expect(reportOpen(new Date('2025-03-31T22:00:00Z'), due, null)).toBe(false);
    expect(reportOpen(new Date('2025-04-02T10:00:00Z'), due, new Date('2025-04-03T10:00:00Z'))).toBe(true);
    expect(reportOpen(new Date('2025-04-04T10:00:00Z'), due, new Date('2025-04-03T10:00:00Z'))).toBe(false);
    expect(reportOpen(new Date(), null, null)).toBe(true);
  });

  it('keeps only the last part of an upload name, without control or unusual characters', () => {
    expect(safeFilename('../../etc/passwd')).toBe('passwd');
    expect(safeFilename('C:\\\\Users\\\\an\\\\verslag.pdf')).toBe('verslag.pdf');
    expect(safeFilename('..\u0000.pdf')).toBe('_.pdf');
    expect(safeFilename('Één rapport (v2).pdf')).toBe('Één rapport (v2).pdf');
    expect(safeFilename('<script>.png')).toBe('_script_.png');
    expect(safeFilename('')).toBe('bewijsstuk');
    expect(safeFilename('a'.repeat(300) + '.pdf')).toHaveLength(150);
  });
});
