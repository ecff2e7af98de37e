import { declaredFieldKeys, FieldKeys, fieldKeyOf } from './field-keys';

@FieldKeys({
  lines: 'lines',
  'lines.*': 'planned-{kpiLineId}',
  'lines.*.currentReach': 'current-{kpiLineId}',
  'mentorship.motivation': 'mentorship-motivation',
})
class Draft {
  lines: { kpiLineId: unknown }[] = [];
}
class LaterDraft extends Draft {}
class Flat {}

describe('fieldKeyOf', () => {
  const draft = Object.assign(new Draft(), { lines: [{ kpiLineId: 7 }, { kpiLineId: 'abc' }, 'x'] });

  it('maps a declared path, with the id of its list item', () => {
    expect(fieldKeyOf(draft, 'mentorship.motivation')).toBe('mentorship-motivation');
    expect(fieldKeyOf(draft, 'lines.0.currentReach')).toBe('current-7');
  });

  it('gives an undeclared path inside a declared one the parent key', () => {
    expect(fieldKeyOf(draft, 'lines.0.plannedReach')).toBe('planned-7');
    expect(fieldKeyOf(draft, 'lines.0')).toBe('planned-7');
  });

  it("falls back to the list's key when the item's id is unusable", () => {
    expect(fieldKeyOf(draft, 'lines.1.currentReach')).toBe('lines');
    expect(fieldKeyOf(draft, 'lines.2')).toBe('lines');
    expect(fieldKeyOf(draft, 'lines.9.currentReach')).toBe('lines');
  });

  it('keeps paths of classes without a declaration, and finds the declaration of a parent class', () => {
    expect(fieldKeyOf(new Flat(), 'reason')).toBe('reason');
    expect(fieldKeyOf(undefined, 'reason')).toBe('reason');
    expect(fieldKeyOf(draft, 'version')).toBe('version');
    expect(declaredFieldKeys(LaterDraft)).toBe(declaredFieldKeys(Draft));
    expect(fieldKeyOf(Object.assign(new LaterDraft(), { lines: [{ kpiLineId: 3 }] }), 'lines.0.currentReach')).toBe('current-3');
  });

  it('never reads an id through the prototype', () => {
    const inherited = Object.assign(new Draft(), { lines: Object.create([{ kpiLineId: 1 }]) as unknown[] });
    expect(fieldKeyOf(inherited, 'lines.0.currentReach')).toBe('lines');
  });
});
