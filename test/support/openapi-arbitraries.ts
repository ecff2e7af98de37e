import fc from 'fast-check';

/**
 * fast-check arbitraries derived from the OpenAPI document the platform serves at /api/docs-json: request bodies,
 * path and query parameters, mostly plausible (examples, enums, known ids) so a request gets past the first check,
 * with hostile values mixed in at every level.
 */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  example?: unknown;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface OperationObject {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, Schema> };
}

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface Operation {
  method: Method;
  /** As in the document: /api/v1/applications/{id}. */
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  /** The JSON body's schema, when the operation takes JSON. */
  jsonBody?: Schema;
  /** The content types the operation declares for its body (application/json, multipart/form-data). */
  bodyTypes: string[];
}

const METHODS: Method[] = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of the document. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const operation = item[method];
      const parameters = operation.parameters ?? [];
      const content = operation.requestBody?.content ?? {};
      return {
        method,
        path,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        jsonBody: content['application/json']?.schema,
        bodyTypes: Object.keys(content),
      };
    }),
  );
}

/** "POST /api/v1/applications/{id}" as Express names it: "POST /api/v1/applications/:id". */
export const expressName = (operation: Pick<Operation, 'method' | 'path'>): string =>
  `${operation.method.toUpperCase()} ${operation.path.replace(/\{(\w+)\}/g, ':$1')}`;

const DEEP_LEVELS = 40;

/**
 * Values no field should choke on: control characters, lone UTF-16 surrogates (high and low, alone, at the end, reversed,
 * inside an e-mail address), numbers beyond int32 and doubles, wrong types, markup, formulas.
 */
export const HOSTILE_TEXT = [
  '',
  ' ',
  'a\u0000b',
  '\u0007',
  '\u007f',
  '\u001b[31mrood',
  '\ud800',
  '\udfff',
  '\udc00\ud800',
  'a\ud83d',
  '\ud83d\ude00\ude00',
  'contact\ud800@gent.test',
  'Stad \udc00Gent',
  '\u202egnp.exe',
  '١٢٣',
  '𝟙𝟚',
  '2147483648',
  '-2147483649',
  '99999999999999999999999',
  '1e308',
  'NaN',
  '-1',
  '0x10',
  '1,5',
  '2024-02-30',
  '2024-13-01T25:61',
  "'; DROP TABLE call; --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '=HYPERLINK("https://x.test","klik")',
  '../../etc/passwd',
  '__proto__',
];
export const HOSTILE_NUMBERS = [
  -1,
  0,
  1.5,
  -0.0001,
  2_147_483_647,
  2_147_483_648,
  -2_147_483_649,
  4_294_967_296,
  Number.MAX_SAFE_INTEGER + 2,
  1e21,
  1e308,
  -1e308,
  5e-324,
];
const WRONG_TYPES: unknown[] = [true, false, null, {}, [], { a: 1 }, [1, 2], 'tekst', 7];

/** A value nested `levels` deep in arrays and objects. */
export function deeplyNested(levels: number, inner: unknown = 'bodem'): unknown {
  let value = inner;
  for (let i = 0; i < levels; i++) value = i % 2 ? { diep: value } : [value];
  return value;
}

/** A plausible text with a lone surrogate put anywhere in it (an e-mail address, a name), so it passes the shape checks up to that. */
const withLoneSurrogate: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('contact@gent.test', 'Stad Gent', 'Wij coachen de buurgemeenten.', '10.000,50', '2025-01-15T10:00'),
    fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '\ude00\ud83d'),
    fc.nat(),
  )
  .map(([text, surrogate, at]) => text.slice(0, at % (text.length + 1)) + surrogate + text.slice(at % (text.length + 1)));

const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  { weight: 3, arbitrary: fc.constantFrom(...WRONG_TYPES) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: withLoneSurrogate },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 3000 }).map((n) => 'x'.repeat(n * 10)) },
  { weight: 1, arbitrary: fc.constant(deeplyNested(DEEP_LEVELS)) },
);

export interface Hints {
  /** Real values for properties and parameters by name (ids of records that exist), so bodies reach the rules. */
  byName?: Record<string, fc.Arbitrary<unknown>>;
}

const plausibleText = fc.oneof(
  fc.constantFrom('Proef', 'Stad Gent', 'contact@gent.test', '09 266 55 00', 'BE68539007547034', '2025-01-15', '2025-01-15T10:00', '10', '1.000,50'),
  fc.string({ maxLength: 20 }),
);

/** A plausible value of the schema (examples, enums, hints), or a hostile one about one time in `1 + plausibleWeight`. */
export function valueOf(schema: Schema, components: Record<string, Schema>, hints: Hints = {}, name?: string, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 6, arbitrary: plausible(schema, components, hints, name, depth) }, { weight: 1, arbitrary: hostileLeaf });
}

function plausible(schema: Schema, components: Record<string, Schema>, hints: Hints, name: string | undefined, depth: number): fc.Arbitrary<unknown> {
  if (schema.$ref) return plausible(components[schema.$ref.split('/').pop()!] ?? {}, components, hints, name, depth);
  const hinted = name !== undefined ? hints.byName?.[name] : undefined;
  if (hinted) return hinted;
  const parts = schema.allOf ?? schema.oneOf ?? schema.anyOf;
  if (parts && parts.length > 0) {
    const merged = fc
      .tuple(...parts.map((part) => plausible(part, components, hints, name, depth)))
      .map((values) => (values.every((v) => v && typeof v === 'object' && !Array.isArray(v)) ? Object.assign({}, ...(values as object[])) : values[0]));
    return schema.nullable ? fc.oneof({ weight: 4, arbitrary: merged }, { weight: 1, arbitrary: fc.constant(null) }) : merged;
  }
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const example = schema.example !== undefined ? [fc.constant(schema.example)] : [];
  let base: fc.Arbitrary<unknown>;
  switch (schema.type) {
    case 'object':
      base = schema.properties
        ? objectOf(schema, components, hints, depth)
        : fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 2 });
      break;
    case 'array':
      base = depth > 6 ? fc.constant([]) : fc.array(valueOf(schema.items ?? {}, components, hints, undefined, depth + 1), { maxLength: 4 });
      break;
    case 'integer':
    case 'number':
      base = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: -10, max: 100_000 }));
      break;
    case 'boolean':
      base = fc.boolean();
      break;
    case 'string':
      base = plausibleText;
      break;
    default:
      base = fc.oneof(fc.integer({ min: 0, max: 200 }), plausibleText);
  }
  const values = example.length > 0 ? fc.oneof({ weight: 2, arbitrary: example[0] }, { weight: 1, arbitrary: base }) : base;
  return schema.nullable ? fc.oneof({ weight: 4, arbitrary: values }, { weight: 1, arbitrary: fc.constant(null) }) : values;
}

const MISSING = Symbol('missing');

function objectOf(schema: Schema, components: Record<string, Schema>, hints: Hints, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const required = new Set(schema.required ?? []);
  const fields = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([key, child]) => [
      key,
      fc.oneof(
        { weight: required.has(key) ? 12 : 5, arbitrary: valueOf(child, components, hints, key, depth + 1) },
        { weight: 1, arbitrary: fc.constant(MISSING) },
      ),
    ]),
  );
  const unknown = fc.option(fc.tuple(fc.constantFrom('onbekend', 'isAdmin', 'id', 'version2', 'constructor', ''), hostileLeaf), { freq: 8 });
  return fc.tuple(fc.record(fields), unknown).map(([record, extra]) => {
    const body = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== MISSING));
    if (extra) body[extra[0]] = extra[1];
    return body;
  });
}

/** A whole JSON body: mostly an object from the schema, sometimes another top-level type, deep nesting, or more than 1 MB. */
export function bodyOf(schema: Schema, components: Record<string, Schema>, hints: Hints = {}): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 30, arbitrary: plausible(schema, components, hints, undefined, 0) },
    { weight: 2, arbitrary: fc.constantFrom<unknown>([], 'tekst', 42, null, true, [{}]) },
    { weight: 1, arbitrary: fc.constant(deeplyNested(DEEP_LEVELS, {})) },
    { weight: 1, arbitrary: fc.constant({ version: 1, opvulling: 'x'.repeat(1_100_000) }) },
  );
}

/** A path parameter: mostly a real value, else one of another tenant, not a number, beyond int32, or an escape attempt. */
export function pathParamOf(real: fc.Arbitrary<string>, others: string[]): fc.Arbitrary<string> {
  const hostile = fc.constantFrom(
    '0',
    '-1',
    'abc',
    '1.5',
    '1e3',
    '0x10',
    ' 7',
    '2147483647',
    '2147483648',
    '99999999999999999999',
    '%00',
    '..%2F..%2Fetc%2Fpasswd',
    '%E2%80%AE1',
    '%ED%A0%80',
    '%ED%B0%80',
    '%D9%A1',
    'null',
  );
  return fc.oneof({ weight: 8, arbitrary: real }, ...(others.length > 0 ? [{ weight: 2, arbitrary: fc.constantFrom(...others) }] : []), {
    weight: 3,
    arbitrary: hostile,
  });
}

/** A query string for the operation's query parameters: some left out, plausible or hostile values, now and then repeated. */
export function queryOf(parameters: Parameter[], components: Record<string, Schema>, hints: Hints = {}): fc.Arbitrary<string> {
  if (parameters.length === 0) return fc.constant('');
  const one = (p: Parameter) =>
    fc.option(
      fc.oneof(
        { weight: 6, arbitrary: valueOf(p.schema ?? {}, components, hints, p.name).map((v) => [p.name, textOf(v)] as const) },
        { weight: 1, arbitrary: fc.constant([`${p.name}[x]`, '1'] as const) },
        { weight: 1, arbitrary: fc.constant([p.name, ['1', '2']] as const) },
      ),
      { freq: 2 },
    );
  return fc.tuple(...parameters.map(one)).map((pairs) => {
    const parts = pairs.flatMap((pair) => {
      if (!pair) return [];
      const [key, value] = pair;
      const values = Array.isArray(value) ? value : [value];
      return values.map((v) => `${encodeURIComponent(key)}=${encoded(v)}`);
    });
    return parts.length > 0 ? `?${parts.join('&')}` : '';
  });
}

/** Percent-encoded; a lone surrogate (which encodeURIComponent refuses) goes as the raw bytes of its UTF-8 attempt. */
function encoded(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'object' && value !== null ? JSON.stringify(value).slice(0, 500) : String(value);
}
