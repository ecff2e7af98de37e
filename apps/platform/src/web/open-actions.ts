/** One action of the application form: its lines' stored values and its stored priority. */
export interface FormAction {
  number: number;
  priority: number | '';
  lines: { id: number; currentReach: number; plannedReach: number; confirmedQuantity: number | null; reviewComment: string | null }[];
}

/** A refused save: what was typed (the form's field names) and the fields that were refused. */
export interface RefusedForm {
  submitted: Record<string, unknown>;
  fieldErrors: Record<string, unknown>;
}

/** Something the officer entered: not empty and not zero ("0", "00", 0). Text that is no number counts: it is shown to be fixed. */
const entered = (value: unknown): boolean => {
  if (value === undefined || value === null) return false;
  const text = String(value).trim();
  return text !== '' && !/^0+$/.test(text);
};

/**
 * Whether the application form shows an action open (issue 25): it already has a line — a current or planned reach,
 * a priority, a confirmed quantity or a reviewer's comment — or, after a refused save, what was typed for it or one of
 * its fields was refused. Every other action is folded as "not chosen"; its fields are posted all the same.
 */
export function isActionOpen(action: FormAction, refused?: RefusedForm): boolean {
  const shown = (field: string, stored: unknown) => (refused && field in refused.submitted ? refused.submitted[field] : stored);
  const fields = [`priority-${action.number}`, ...action.lines.flatMap((line) => [`current-${line.id}`, `planned-${line.id}`])];
  if (refused && fields.some((field) => field in refused.fieldErrors)) return true;
  if (entered(shown(`priority-${action.number}`, action.priority))) return true;
  return action.lines.some(
    (line) =>
      entered(shown(`planned-${line.id}`, line.plannedReach)) ||
      entered(shown(`current-${line.id}`, line.currentReach)) ||
      line.confirmedQuantity !== null ||
      !!line.reviewComment,
  );
}
