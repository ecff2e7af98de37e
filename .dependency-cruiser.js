/**
 * The boundaries of the code, checked in CI (`npm run lint:deps`). See docs/architecture.md.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'libs-never-import-apps',
      comment: 'Libs hold the domain; the apps (platform, cli) present it. Dependencies point from apps to libs only.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'api-never-imports-web',
      comment: 'The JSON API and the pages are two presenters of the same libs; what both need lives in a lib or in apps/platform/src/documents.',
      severity: 'error',
      from: { path: '^apps/platform/src/api/' },
      to: { path: '^apps/platform/src/web/' },
    },
    {
      name: 'controllers-never-import-controllers',
      comment: 'A controller only presents: what two controllers share (DTOs, parameters, stream helpers) lives in a lib or in a module of the app.',
      severity: 'error',
      from: { path: '\\.controller\\.ts$' },
      to: { path: '\\.controller\\.ts$' },
    },
    {
      name: 'app-modules-never-import-upward',
      comment:
        'The app is assembled top-down: main.ts, app.module.ts, configure-app.ts and the exception filter may use the pieces below them, never the reverse.',
      severity: 'error',
      from: { path: '^apps/platform/src/(api|web|documents|auth|observability)/' },
      to: { path: '^apps/platform/src/(main|app\\.module|configure-app|http-exception\\.filter)\\.ts$' },
    },
    {
      name: 'kernel-imports-nothing-of-ours',
      comment: 'The kernel (money, time, identifiers, refusals) is the base every lib may use; it uses no lib and no framework of ours.',
      severity: 'error',
      from: { path: '^libs/kernel/' },
      to: { path: '^(libs/(?!kernel/)|apps/)' },
    },
    {
      name: 'kernel-independent-of-nest-and-typeorm',
      comment: 'Refusals and rules in the kernel do not depend on Nest or TypeORM.',
      severity: 'error',
      from: { path: '^libs/kernel/' },
      to: { path: '@nestjs|typeorm' },
    },
    {
      name: 'no-cycles',
      comment: 'An import cycle makes two areas one; break it by moving the shared piece down.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'code-never-imports-tests',
      severity: 'error',
      from: { path: '^(libs|apps)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|^node_modules/|\\.spec\\.ts$)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
