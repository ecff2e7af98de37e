import 'reflect-metadata';
import { getMetadataStorage, IsInt, Min, validate, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { keepValidationRulesPerClass } from './validation-metadata';

class Line {
  @IsInt() @Min(0) plannedReach!: number;
}

class Draft {
  @ValidateNested({ each: true }) @Type(() => Line) lines!: Line[];
}

const line = (plannedReach: unknown) => Object.assign(new Line(), { plannedReach });
const draft = (...lines: Line[]) => Object.assign(new Draft(), { lines });

describe('validation rules kept per class', () => {
  beforeAll(() => keepValidationRulesPerClass());

  it('answers the same rules for a class and options without looking again, and validates as before', async () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Line, '', false, false);
    expect(storage.getTargetValidationMetadatas(Line, '', false, false)).toBe(first);
    expect(first.map((rule) => rule.propertyName)).toEqual(['plannedReach', 'plannedReach']);
    expect(storage.getTargetValidationMetadatas(Line, '', false, false, ['other'])).not.toBe(first);
    expect(await validate(draft(line(3), line(0)))).toEqual([]);
    const errors = await validate(draft(line(3), line(-1), line('x')));
    expect(errors.map((e) => e.children?.map((c) => [c.property, Object.keys(c.children?.[0]?.constraints ?? {})]))).toEqual([
      [
        ['1', ['min']],
        ['2', ['min', 'isInt']],
      ],
    ]);
  });

  it('finds the rules of a class loaded later', async () => {
    class Later {
      @IsInt() count!: number;
    }
    expect(getMetadataStorage().getTargetValidationMetadatas(Later, '', false, false)).toHaveLength(1);
    expect(await validate(Object.assign(new Later(), { count: 1.5 }))).toHaveLength(1);
    expect(await validate(Object.assign(new Later(), { count: 2 }))).toEqual([]);
  });

  it('is installed once', () => {
    const lookup = getMetadataStorage().getTargetValidationMetadatas;
    keepValidationRulesPerClass();
    expect(getMetadataStorage().getTargetValidationMetadatas).toBe(lookup);
  });
});
