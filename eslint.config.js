// ESLint (typescript-eslint) for the platform; run in CI by `npm run lint`. See docs/architecture.md.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

const NEST_HTTP_EXCEPTIONS = [
  'HttpException',
  'BadRequestException',
  'UnauthorizedException',
  'ForbiddenException',
  'NotFoundException',
  'ConflictException',
  'UnprocessableEntityException',
  'ServiceUnavailableException',
  'PayloadTooLargeException',
];

const NODE_GLOBALS = Object.fromEntries(
  [
    'console',
    'process',
    'require',
    'module',
    '__dirname',
    'Buffer',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'performance',
    'fetch',
    'URL',
    'URLSearchParams',
    'AbortController',
  ].map((name) => [name, 'readonly']),
);
const BROWSER_GLOBALS = Object.fromEntries(['document', 'window', 'HTMLElement', 'HTMLInputElement', 'Event'].map((name) => [name, 'readonly']));

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'test-results/**', 'apps/platform/public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: NODE_GLOBALS },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // SQL lives in repositories and read models (and the database lib itself); services hold use cases.
    files: ['libs/**/*.ts', 'apps/**/*.ts'],
    ignores: ['**/*.repository.ts', '**/*.read-model.ts', 'libs/database/src/**', '**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='query']",
          message: 'SQL belongs in a *.repository.ts or *.read-model.ts of the lib that owns the table.',
        },
        {
          selector: "CallExpression[callee.property.name='createQueryBuilder']",
          message: 'SQL belongs in a *.repository.ts or *.read-model.ts of the lib that owns the table.',
        },
      ],
    },
  },
  {
    // Libs refuse with the kernel's typed refusals; only the platform maps them to HTTP.
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@nestjs/common',
              importNames: NEST_HTTP_EXCEPTIONS,
              message: 'Throw a refusal from @ps/kernel (NotFound, NotPermitted, Conflict, FieldErrors, ...).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/platform/scripts/**/*.js'],
    languageOptions: { sourceType: 'script', globals: BROWSER_GLOBALS },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
