import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- class-transformer keeps its storage out of its main module
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';
import { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import * as allocationDtos from '@ps/allocation';
import * as applicantDtos from '@ps/applicants';
import { checkDraft } from '@ps/applications';
import * as identityDtos from '@ps/identity';
import * as overviewDtos from '@ps/overviews';
import { submissionProblems } from '@ps/reporting';
import * as account from './api/account.api.controller';
import * as allocation from './api/allocation.api.controller';
import * as applicants from './api/applicants.api.controller';
import * as applications from './api/applications.api.controller';
import * as catalogue from './api/catalogue.api.controller';
import * as organisations from './api/organisations.api.controller';
import * as overviews from './api/overviews.api.controller';
import * as params from './api/params';
import * as records from './api/records.api.controller';
import * as reports from './api/reports.api.controller';
import * as users from './api/users.api.controller';
import { validationErrors } from './validation-errors';

// Loaded for their decorators: every class with validation rules registers in class-validator's storage.
void [allocationDtos, applicantDtos, identityDtos, overviewDtos, account, allocation, applicants, applications, catalogue, organisations];
void [overviews, params, records, reports, users];

type Dto = new () => object;
const ITEM_IDS = { kpiLineId: 7, actionNumber: 5 };

/**
 * The keys the rules, their "incomplete" lists and the pages use for the fields of nested DTOs (application-rules.ts,
 * review.service.ts, reporting-rules.ts, reports.service.ts; application.hbs, application-review.hbs, report.hbs), with
 * a list item's id 7 (kpiLineId) or 5 (actionNumber). A field of a flat DTO is named by its property in the rules.
 */
const RULE_KEYS: Record<string, Record<string, string>> = {
  DraftDto: {
    lines: 'lines',
    'lines.0': 'lines', // an item that is no object has no id
    'lines.0.kpiLineId': 'lines',
    priorities: 'priorities',
    'priorities.0': 'priorities',
    'priorities.0.actionNumber': 'priorities',
    cooperationStimulus: 'cooperation-stimulus',
    mentorship: 'mentorship-action',
    'mentorship.motivation': 'mentorship-motivation',
    impactBond: 'impact-bond',
    'impactBond.expertise': 'impact-expertise',
    'impactBond.problem': 'impact-problem',
    'impactBond.actionNumbers': 'impact-actions',
    'impactBond.learningNetwork': 'impact-learning-network',
  },
  ApproveDto: {
    'confirmed.0': 'confirmed',
    'confirmed.0.kpiLineId': 'confirmed',
    'stimuli.cooperation': 'stimulus-cooperation',
    'stimuli.cooperation.granted': 'stimulus-cooperation',
    'stimuli.cooperation.reason': 'stimulus-cooperation-reason',
    'stimuli.mentorship': 'stimulus-mentorship',
    'stimuli.mentorship.granted': 'stimulus-mentorship',
    'stimuli.mentorship.reason': 'stimulus-mentorship-reason',
    'stimuli.impactBond': 'stimulus-impact-bond',
    'stimuli.impactBond.granted': 'stimulus-impact-bond',
    'stimuli.impactBond.reason': 'stimulus-impact-bond-reason',
  },
  SendBackDto: { 'comments.0': 'comments', 'comments.0.kpiLineId': 'comments', 'comments.0.comment': 'comment-7' },
  ReportDraftDto: {
    'lines.0': 'lines',
    'lines.0.kpiLineId': 'lines',
    'lines.0.realisedQuantity': 'realisedQuantity-7',
    'lines.0.approach': 'approach-7',
    'lines.0.partners': 'partners-7',
    'lines.0.motivation': 'motivation-7',
  },
  ReviewDto: {
    'lines.0': 'lines',
    'lines.0.kpiLineId': 'lines',
    'lines.0.comment': 'reviewComment-7',
    'lines.0.motivationAccepted': 'motivationAccepted-7',
  },
};

const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Dto, ValidationMetadata[]> };

/** The validated properties of a class (its own and inherited), each with its rules. */
function propertiesOf(dto: Dto): Map<string, ValidationMetadata[]> {
  const result = new Map<string, ValidationMetadata[]>();
  for (const [target, metadatas] of storage.validationMetadatas) {
    if (target !== dto && !(dto.prototype instanceof target)) continue;
    for (const metadata of metadatas) result.set(metadata.propertyName, [...(result.get(metadata.propertyName) ?? []), metadata]);
  }
  return result;
}

const nestedType = (dto: Dto, property: string): Dto | undefined => defaultMetadataStorage.findTypeMetadata(dto, property)?.typeFunction() as Dto | undefined;

interface Field {
  path: string[];
  rules: ValidationMetadata[];
}

/** Every field of a DTO, nested ones by their path with index 0 for a list item. */
function fieldsOf(dto: Dto, prefix: string[] = [], depth = 0): Field[] {
  return [...propertiesOf(dto)].flatMap(([property, rules]) => {
    const nested = rules.find((rule) => rule.type === 'nestedValidation');
    const path = [...prefix, property];
    const type = nested ? nestedType(dto, property) : undefined;
    const inner = type && depth < 3 ? fieldsOf(type, nested!.each ? [...path, '0'] : path, depth + 1) : [];
    return [{ path, rules }, ...(nested?.each ? [{ path: [...path, '0'], rules: [] }] : []), ...inner];
  });
}

/** A body with `value` at `path` (list items carry their ids, so that a key can name the item). */
function bodyWith(path: string[], value: unknown): Record<string, unknown> {
  const build = (rest: string[]): unknown => {
    if (rest.length === 0) return value;
    const [head, ...tail] = rest;
    if (/^\d+$/.test(head)) return [tail.length === 0 ? value : { ...ITEM_IDS, ...(build(tail) as object) }];
    return { [head]: build(tail) };
  };
  return build(path) as Record<string, unknown>;
}

/** Values that break a rule of some kind: wrong types, too long, too large, negative, empty. */
function refusals(rules: ValidationMetadata[]): unknown[] {
  const max = rules.flatMap((rule) =>
    rule.name === 'maxLength' ? [rule.constraints[0] as number] : rule.name === 'isLength' ? [rule.constraints[1] as number] : [],
  );
  return [{ a: 1 }, [1], true, 'abc', -1, 2_147_483_648, 1.5, '', ...max.map((n) => 'x'.repeat(n + 1))];
}

/** Only the errors on the branch down to `path`, without those of other fields or of the parents themselves. */
function branch(errors: ValidationError[], path: string[]): ValidationError[] {
  const [head, ...tail] = path;
  return errors
    .filter((error) => error.property === head)
    .map((error) => (tail.length === 0 ? { ...error, children: [] } : { ...error, constraints: undefined, children: branch(error.children ?? [], tail) }))
    .filter((error) => error.constraints || (error.children ?? []).length > 0);
}

/** The keys a refusal of the field at `path` gets from the API's validation (validationErrors), for each kind of refusal. */
function keysOf(dto: Dto, field: Field): Set<string> {
  const keys = new Set<string>();
  for (const value of refusals(field.rules)) {
    const instance = plainToInstance(dto, bodyWith(field.path, value));
    const errors = branch(validateSync(instance, { whitelist: true, forbidNonWhitelisted: true }), field.path);
    for (const key of Object.keys(validationErrors(errors, instance))) keys.add(key);
  }
  return keys;
}

const nestedTypes = new Set(
  [...storage.validationMetadatas.keys()].flatMap((dto) =>
    [...propertiesOf(dto)].flatMap(([property, rules]) => (rules.some((r) => r.type === 'nestedValidation') ? [nestedType(dto, property)] : [])),
  ),
);
/** The DTOs a request body, query or form is validated as (not only nested in another one); the environment is no input. */
const ROOTS = [...storage.validationMetadatas.keys()].filter((dto) => dto.name !== 'PlatformConfig' && !nestedTypes.has(dto));

describe('one field, one key: every refusal of a field names the key the rules and the pages use', () => {
  it('finds the DTOs, nested ones included', () => {
    expect(ROOTS.length).toBeGreaterThan(40);
    expect(ROOTS.map((dto) => dto.name)).toEqual(expect.arrayContaining(Object.keys(RULE_KEYS)));
    expect(fieldsOf(ROOTS.find((dto) => dto.name === 'DraftDto')!).map((f) => f.path.join('.'))).toContain('mentorship.motivation');
  });

  it.each(ROOTS.map((dto) => [dto.name, dto] as const))('%s', (name, dto) => {
    const found: Record<string, string[]> = {};
    const expected: Record<string, string[]> = {};
    for (const field of fieldsOf(dto)) {
      const path = field.path.join('.');
      const keys = [...keysOf(dto, field)];
      if (keys.length === 0) continue; // nothing in the DTO refuses it (the rules check it)
      found[path] = keys;
      expected[path] = [RULE_KEYS[name]?.[path] ?? (field.path.length === 1 ? path : `a key for ${path} in RULE_KEYS`)];
    }
    expect(found).toEqual(expected);
  });

  it('names the draft fields as the draft rules do, for the same fault', () => {
    const catalogue = [{ id: 7, actionNumber: 5, unitNl: 'deelnemers', maxQuantity: 10, unitAmountCents: 100 }];
    const rules = checkDraft(
      {
        lines: [{ kpiLineId: 999 }],
        priorities: [{ actionNumber: 9, priority: 1 }],
        cooperationStimulus: true,
        mentorship: { actionNumber: 30, motivation: 'x'.repeat(2501) },
        impactBond: { expertise: 'x'.repeat(2501), problem: 'x'.repeat(2501), actionNumbers: ['x'] },
      },
      catalogue,
      false,
    );
    const pipe = (body: object) => {
      const instance = plainToInstance(rootNamed('DraftDto'), { version: 1, lines: [], priorities: [], ...body });
      return Object.keys(validationErrors(validateSync(instance, { whitelist: true, forbidNonWhitelisted: true }), instance));
    };
    expect(Object.keys(rules.errors).sort()).toEqual(
      [
        'cooperation-stimulus',
        'impact-actions',
        'impact-expertise',
        'impact-problem',
        'lines',
        'mentorship-action',
        'mentorship-motivation',
        'priority-9',
      ].sort(),
    );
    expect(pipe({ lines: [{ kpiLineId: 'abc' }] })).toEqual(['lines']);
    expect(pipe({ priorities: [{ actionNumber: 9, extra: 1 }] })).toEqual(['priority-9']);
    expect(pipe({ cooperationStimulus: 'ja' })).toEqual(['cooperation-stimulus']);
    expect(pipe({ mentorship: { motivation: 'x'.repeat(100_000) } })).toEqual(['mentorship-motivation']);
    expect(pipe({ mentorship: { actionNumber: 3, extra: 1 } })).toEqual(['mentorship-action']);
    expect(pipe({ impactBond: { expertise: 'x'.repeat(10_001), problem: 7, actionNumbers: 'x' } }).sort()).toEqual(
      ['impact-actions', 'impact-expertise', 'impact-problem'].sort(),
    );
  });

  it('names the report fields as the report rules do', () => {
    const line = { kpiLineId: 7, unitNl: 'deelnemers', actionTitleNl: 'Actie', confirmedQuantity: 10, motivation: '' };
    expect(Object.keys(submissionProblems([{ ...line, realisedQuantity: null }]))).toEqual(['realisedQuantity-7']);
    expect(Object.keys(submissionProblems([{ ...line, realisedQuantity: 3 }]))).toEqual(['motivation-7']);
    const instance = plainToInstance(rootNamed('ReportDraftDto'), {
      version: 1,
      lines: [{ kpiLineId: 7, realisedQuantity: -1, motivation: 'x'.repeat(5001) }],
    });
    expect(Object.keys(validationErrors(validateSync(instance), instance)).sort()).toEqual(['motivation-7', 'realisedQuantity-7']);
  });
});

function rootNamed(name: string): Dto {
  return ROOTS.find((dto) => dto.name === name)!;
}
