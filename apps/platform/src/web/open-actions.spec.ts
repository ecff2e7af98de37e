import { FormAction, isActionOpen } from './open-actions';

const line = (id: number, values: Partial<FormAction['lines'][number]> = {}): FormAction['lines'][number] => ({
  id,
  currentReach: 0,
  plannedReach: 0,
  confirmedQuantity: null,
  reviewComment: null,
  ...values,
});
const action = (values: Partial<FormAction> = {}): FormAction => ({ number: 5, priority: '', lines: [line(11), line(12)], ...values });

describe('which actions the application form shows open', () => {
  it('folds an action without anything entered', () => {
    expect(isActionOpen(action())).toBe(false);
  });

  it('opens an action with a planned or current reach, a priority, a confirmed quantity or a comment on one of its lines', () => {
    expect(isActionOpen(action({ lines: [line(11), line(12, { plannedReach: 3 })] }))).toBe(true);
    expect(isActionOpen(action({ lines: [line(11, { currentReach: 40 }), line(12)] }))).toBe(true);
    expect(isActionOpen(action({ priority: 2 }))).toBe(true);
    expect(isActionOpen(action({ lines: [line(11, { confirmedQuantity: 0 })] }))).toBe(true);
    expect(isActionOpen(action({ lines: [line(11, { reviewComment: 'Te hoog.' })] }))).toBe(true);
  });

  it('after a refused save, follows what was typed rather than what is stored', () => {
    const stored = action({ lines: [line(11, { plannedReach: 3 }), line(12)] });
    const typed = (submitted: Record<string, unknown>) => ({ submitted, fieldErrors: {} });
    expect(isActionOpen(stored, typed({ 'planned-11': '0', 'current-11': '', 'priority-5': '' }))).toBe(false);
    expect(isActionOpen(action(), typed({ 'planned-12': '7' }))).toBe(true);
    expect(isActionOpen(action(), typed({ 'priority-5': ' 1 ' }))).toBe(true);
    expect(isActionOpen(action(), typed({ 'planned-11': '00', 'current-12': '  ' }))).toBe(false);
    // a field not in the refused form keeps its stored value
    expect(isActionOpen(stored, typed({ 'planned-12': '0' }))).toBe(true);
  });

  it('opens an action one of whose fields was refused, even when what was typed is empty or zero', () => {
    expect(isActionOpen(action(), { submitted: { 'planned-12': '' }, fieldErrors: { 'planned-12': 'Vul een geheel getal in.' } })).toBe(true);
    expect(isActionOpen(action(), { submitted: { 'current-11': '0' }, fieldErrors: { 'current-11': 'Fout.' } })).toBe(true);
    expect(isActionOpen(action(), { submitted: {}, fieldErrors: { 'priority-5': 'Fout.' } })).toBe(true);
    // an error on another action's field leaves this one folded
    expect(isActionOpen(action(), { submitted: {}, fieldErrors: { 'planned-99': 'Fout.', 'priority-6': 'Fout.' } })).toBe(false);
  });
});
