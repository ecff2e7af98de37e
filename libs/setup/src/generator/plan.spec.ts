import { normaliseIban } from '@ps/kernel';
import {
  belgianIban,
  Batch,
  composeTemplate,
  emptyBatch,
  MAX_SCALE,
  rowCount,
  SourceCall,
  SourceLocalGovernment,
  syntheticLocalGovernments,
  syntheticNisCode,
  TEMPLATE_APPLICANTS,
  TEMPLATE_LOCAL_GOVERNMENTS,
  templateMembers,
  UnitContext,
  unitRows,
} from './plan';
import { seededRandom } from './prng';

/** 300 municipalities in 22 regions (6 of them facility municipalities), VGC and De Rand. */
function localGovernments(): SourceLocalGovernment[] {
  const rows: SourceLocalGovernment[] = [];
  for (let i = 1; i <= 300; i++) {
    rows.push({
      id: i,
      nisCode: String(10000 + i),
      kind: 'municipality',
      nameNl: `Gemeente ${i}`,
      arrondissementNl: `Arrondissement ${i % 22}`,
      provinceNl: `Provincie ${i % 5}`,
      inhabitants: 5000 + ((i * 7919) % 90000),
      facility: i <= 6,
      regionId: 1 + (i % 22),
    });
  }
  rows.push({
    id: 301,
    nisCode: null,
    kind: 'vgc',
    nameNl: 'VGC',
    arrondissementNl: null,
    provinceNl: null,
    inhabitants: null,
    facility: false,
    regionId: null,
  });
  rows.push({
    id: 302,
    nisCode: null,
    kind: 'de-rand',
    nameNl: 'De Rand',
    arrondissementNl: null,
    provinceNl: null,
    inhabitants: null,
    facility: false,
    regionId: null,
  });
  return rows;
}

const calls: SourceCall[] = [1, 2, 3].map((year) => ({
  id: year,
  yearNumber: year,
  catalogueVersion: 1,
  opensAt: Date.UTC(2021 + year, 2, 1),
  closesAt: Date.UTC(2021 + year, 6, 1),
  decisionDate: year === 3 ? null : `${2021 + year}-09-23`,
  interimDueAt: year === 3 ? null : Date.UTC(2022 + year, 4, 5),
  finalDueAt: Date.UTC(2022 + year, 9, 15),
  interimThresholdPercent: 25,
  cooperationStimulusCents: 1_000_000,
  kpiLines: Array.from({ length: 27 }, (_, i) => ({
    id: year * 100 + i,
    actionNumber: 2 + Math.floor(i / 2),
    maxQuantity: i % 4 === 0 ? 1 : 150,
    unitAmountCents: 65_000,
  })),
}));

function context(seed: number, scale = 1): UnitContext {
  const real = localGovernments();
  const template = composeTemplate(seed, real);
  const members = templateMembers(template);
  const synthetic = syntheticLocalGovernments(template, new Map(real.map((lg) => [lg.id, lg])), scale);
  const names = new Map([...real, ...synthetic].map((lg) => [lg.id, lg.nameNl]));
  return { seed, calls, template, members, indexOf: new Map(members.map((id, i) => [id, i])), nameOf: (id) => names.get(id)! };
}

function rows(seed: number, units: number[], scale = 1): Batch {
  const batch = emptyBatch();
  const c = context(seed, scale);
  for (const unit of units) unitRows(c, unit, batch);
  return batch;
}

describe('data generator plan', () => {
  it('the seeded generator repeats itself and stays in [0, 1)', () => {
    const [a, b] = [seededRandom(42), seededRandom(42)];
    const drawn = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(drawn);
    expect(drawn.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(43)()).not.toBe(drawn[0]);
  });

  it('composes 147 local governments in 59 applicants, each cooperation inside one reference region', () => {
    const real = localGovernments();
    const template = composeTemplate(7, real);
    expect(template).toHaveLength(TEMPLATE_APPLICANTS);
    expect(TEMPLATE_APPLICANTS).toBe(59);
    const members = templateMembers(template);
    expect(new Set(members).size).toBe(147);
    expect(members).toHaveLength(TEMPLATE_LOCAL_GOVERNMENTS);
    const regionOf = new Map(real.map((lg) => [lg.id, lg.regionId]));
    for (const cooperation of template.filter((a) => a.kind === 'cooperation')) {
      expect(cooperation.memberIds.length).toBeGreaterThanOrEqual(3);
      expect(new Set(cooperation.memberIds.map((id) => regionOf.get(id))).size).toBe(1);
    }
    expect(template.filter((a) => a.kind === 'alone')).toHaveLength(35);
    expect(template.find((a) => a.kind === 'de-rand')!.memberIds).toEqual([302, 1, 2, 3, 4, 5, 6]);
  });

  it('gives the same rows for the same seed, and other rows for another seed', () => {
    const units = Array.from({ length: 59 }, (_, i) => i);
    const first = rows(20260101, units);
    expect(rows(20260101, units)).toEqual(first);
    expect(rows(20260102, units)).not.toEqual(first);
    expect(rowCount(first, 'applicant')).toBe(59 * 3);
    expect(rowCount(first, 'application_line')).toBe(59 * 3 * 27);
    expect(rowCount(first, 'kpi_report')).toBeGreaterThan(0);
  });

  it("a unit's rows do not depend on the batch it is written in", () => {
    const together = rows(5, [60, 61, 62], 2);
    const apart = emptyBatch();
    const c = context(5, 2);
    for (const unit of [60, 61, 62]) {
      const one = emptyBatch();
      unitRows(c, unit, one);
      for (const table of Object.keys(one) as (keyof Batch)[]) one[table].forEach((column, i) => apart[table][i].push(...column));
    }
    expect(apart).toEqual(together);
  });

  it('keeps to the schema: quantities within the maximum, amounts = quantity × unit amount, priorities 1..n, one report line per confirmed line', () => {
    const batch = rows(
      99,
      Array.from({ length: 59 }, (_, i) => i),
    );
    const [, , current, planned, contribution, confirmed, confirmedCents] = batch.application_line;
    for (let i = 0; i < planned.length; i++) {
      expect(Number(current[i])).toBeLessThanOrEqual(Number(planned[i]));
      expect(Number(planned[i])).toBeLessThanOrEqual(150);
      expect(contribution[i]).toBe(Number(planned[i]) * 65_000);
      if (confirmed[i] !== null) expect(confirmedCents[i]).toBe(Number(confirmed[i]) * 65_000);
    }
    const priorities = new Map<number, number[]>();
    batch.application_action[0].forEach((id, i) => priorities.set(Number(id), [...(priorities.get(Number(id)) ?? []), Number(batch.application_action[2][i])]));
    for (const list of priorities.values()) expect([...list].sort((a, b) => a - b)).toEqual(list.map((_, i) => i + 1));
    const confirmedLines = confirmed.filter((q) => Number(q) > 0).length;
    expect(rowCount(batch, 'kpi_report_line')).toBeGreaterThan(confirmedLines);
  });

  it('synthetic local governments have unique 5-digit codes outside the Flemish ranges, and valid fictional IBANs', () => {
    const codes = Array.from({ length: (MAX_SCALE - 1) * TEMPLATE_LOCAL_GOVERNMENTS }, (_, j) => syntheticNisCode(j));
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((code) => /^[0-9]{5}$/.test(code) && !/^[12347]/.test(code))).toBe(true);
    for (let n = 0; n < 2000; n += 37) expect(normaliseIban(belgianIban(n * 104729))).not.toBeNull();
    const synthetic = syntheticLocalGovernments(composeTemplate(1, localGovernments()), new Map(localGovernments().map((lg) => [lg.id, lg])), 3);
    expect(synthetic).toHaveLength(2 * 147);
    expect(synthetic[0].nameNl).toMatch(/\(fictief 1\)$/);
  });
});
