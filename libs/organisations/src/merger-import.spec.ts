import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { fromRoot } from '@ps/kernel';
import { ImportRejected } from './csv-import';
import { KnownMunicipality, planMergers, validOn } from './merger-import';

const header = 'effective_date,old_nis_code,old_name_nl,new_nis_code,new_name_nl,new_arrondissement_nl,new_province_nl';

function municipality(id: number, nisCode: string, nameNl: string, arrondissementNl: string, provinceNl: string, inhabitants2020 = 1000): KnownMunicipality {
  return {
    id,
    nisCode,
    nameNl,
    arrondissementNl,
    provinceNl,
    inhabitants2020,
    facilityMunicipality: false,
    validFrom: null,
    validUntil: null,
    successorId: null,
  };
}

const known = [
  municipality(1, '46003', 'Beveren', 'Sint-Niklaas', 'Oost-Vlaanderen', 49000),
  municipality(2, '46013', 'Kruibeke', 'Sint-Niklaas', 'Oost-Vlaanderen', 17000),
  municipality(3, '11056', 'Zwijndrecht', 'Antwerpen', 'Antwerpen', 19000),
  municipality(4, '46021', 'Sint-Niklaas', 'Sint-Niklaas', 'Oost-Vlaanderen'),
  municipality(5, '11002', 'Antwerpen', 'Antwerpen', 'Antwerpen', 500000),
  municipality(6, '11007', 'Borsbeek', 'Antwerpen', 'Antwerpen', 10000),
  municipality(7, '11001', 'Aartselaar', 'Antwerpen', 'Antwerpen'),
];
const bkz = [
  '2025-01-01,46003,Beveren,46030,Beveren-Kruibeke-Zwijndrecht,Sint-Niklaas,Oost-Vlaanderen',
  '2025-01-01,46013,Kruibeke,46030,Beveren-Kruibeke-Zwijndrecht,Sint-Niklaas,Oost-Vlaanderen',
  '2025-01-01,11056,Zwijndrecht,46030,Beveren-Kruibeke-Zwijndrecht,Sint-Niklaas,Oost-Vlaanderen',
];

function problems(run: () => unknown): { line: number; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportRejected) return error.problems;
    throw error;
  }
  throw new Error('expected the import to be rejected');
}

describe('merger table', () => {
  it('plans one successor per new NIS code, its predecessors ending the day before, across a province border', () => {
    expect(planMergers([header, ...bkz].join('\n'), known)).toEqual([
      {
        nisCode: '46030',
        nameNl: 'Beveren-Kruibeke-Zwijndrecht',
        arrondissementNl: 'Sint-Niklaas',
        provinceNl: 'Oost-Vlaanderen',
        validFrom: '2025-01-01',
        predecessorsUntil: '2024-12-31',
        inhabitants2020: 85000,
        facilityMunicipality: false,
        predecessorIds: [1, 2, 3],
      },
    ]);
  });

  it('lets a successor keep the code of one of its predecessors (Antwerpen absorbed Borsbeek)', () => {
    const plan = planMergers(
      [header, '2025-01-01,11002,Antwerpen,11002,Antwerpen,Antwerpen,Antwerpen', '2025-01-01,11007,Borsbeek,11002,Antwerpen,Antwerpen,Antwerpen'].join('\n'),
      known,
    );
    expect(plan.map((s) => [s.nisCode, s.predecessorIds, s.inhabitants2020])).toEqual([['11002', [5, 6], 510000]]);
  });

  it('leaves out what was applied before, so the same table can be applied again', () => {
    const applied = known.map((m) => (m.id <= 3 ? { ...m, validUntil: '2024-12-31', successorId: 8 } : m));
    applied.push({ ...municipality(8, '46030', 'Beveren-Kruibeke-Zwijndrecht', 'Sint-Niklaas', 'Oost-Vlaanderen'), validFrom: '2025-01-01' });
    expect(planMergers([header, ...bkz].join('\n'), applied)).toEqual([]);
    const elsewhere = applied.map((m) => (m.id === 1 ? { ...m, successorId: 4 } : m));
    expect(problems(() => planMergers([header, ...bkz].join('\n'), elsewhere))).toEqual([{ line: 2, message: 'Beveren bestaat maar tot 2024-12-31' }]);
  });

  it('reports every bad line, in Dutch, with its line number', () => {
    const csv = [
      header,
      '2025-02-30,46003,Beveren,46030,Beveren-Kruibeke-Zwijndrecht,Sint-Niklaas,Oost-Vlaanderen',
      '2025-01-01,46013,Kruibeek,46030,Beveren-Kruibeke-Zwijndrecht,Sint-Niklaas,Oost-Vlaanderen',
      '2025-01-01,99999,Nergens,4603,,Sint-Niklaas,Oost-Vlaanderen',
      '2025-01-01,46013,Kruibeke,46031,Kruibeke,Sint-Niklaas,Oost-Vlaanderen',
      '2025-01-01,11007,Borsbeek,11001,Borsbeek,Antwerpen,Antwerpen',
      '2025-01-01,11002,Antwerpen,46040,Antwerpen,Antwerpen,Antwerpen',
    ].join('\n');
    expect(problems(() => planMergers(csv, known))).toEqual([
      { line: 2, message: 'datum "2025-02-30" moet een bestaande datum JJJJ-MM-DD zijn' },
      { line: 3, message: 'NIS-code 46013 is Kruibeke, niet "Kruibeek"' },
      { line: 3, message: 'effective_date "2025-01-01" verschilt van regel 2 voor dezelfde nieuwe NIS-code 46030' },
      { line: 4, message: 'NIS-code "4603" (new_nis_code) moet uit 5 cijfers bestaan' },
      { line: 4, message: 'nieuwe naam ontbreekt' },
      { line: 4, message: 'geen gemeente met NIS-code 99999 op 2024-12-31' },
      { line: 5, message: 'dubbel: NIS-code 46013 staat al op regel 3' },
      { line: 6, message: 'NIS-code 11001 is op 2025-01-01 nog van Aartselaar' },
      { line: 7, message: 'NIS-code 46040 hoort bij arrondissement Sint-Niklaas (Oost-Vlaanderen), zoals Beveren' },
    ]);
  });

  it('turns the 300 municipalities of 2020 into the 285 of 2025 with the shipped table', () => {
    const rows: Record<string, string>[] = parse(readFileSync(fromRoot('config', 'reference', 'flemish-municipalities-2020.csv')), { columns: true });
    const municipalities = rows.map((row, i) =>
      municipality(i + 1, row.nis_code, row.name_nl, row.arrondissement_nl, row.province_nl, Number(row.inhabitants_2020)),
    );
    const plan = planMergers(readFileSync(fromRoot('config', 'reference', 'flemish-municipal-mergers-2025.csv')), municipalities);
    expect(plan).toHaveLength(13);
    const ended = new Set(plan.flatMap((s) => s.predecessorIds));
    expect(ended.size).toBe(28);
    const after = [...municipalities.filter((m) => !ended.has(m.id)), ...plan.map((s) => ({ validFrom: s.validFrom, validUntil: null }))];
    expect(after.filter((m) => validOn(m, '2025-01-01'))).toHaveLength(285);
    expect(plan.find((s) => s.nisCode === '46030')).toMatchObject({
      provinceNl: 'Oost-Vlaanderen',
      predecessorIds: expect.arrayContaining([expect.any(Number)]),
    });
  });
});
