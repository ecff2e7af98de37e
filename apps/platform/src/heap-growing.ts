import { setFlagsFromString } from 'node:v8';

/**
 * After each full collection V8 lets the old generation grow to up to 4× what survived it before collecting again. A
 * streamed export (issue 12) makes hundreds of MB of short-lived rows, and the pg driver's rows reach the old generation
 * on the way (every scavenge promotes 1–3 MB of them), so the platform's RSS rose by 150–230 MB during a KPI-lines export
 * although its live heap stays ≈ 70 MB. With a growing factor of 1.5 the peak stays flat and below 300 MB at any export
 * size (measured: docs/overviews.md "Memory during the exports"). Not a cap: a heap that needs more (the allocation engine
 * at 100×) still grows, it is only collected sooner. V8 reads the flag at every full collection; it is set here, in the
 * first module main.ts loads, so that it applies from the first collection, however the platform is started. A
 * `--heap-growing-percent` on node's command line wins (NODE_OPTIONS does not accept V8 flags like it).
 */
export const HEAP_GROWING_PERCENT = 50;

const given = process.execArgv.some((flag) => /^--heap[-_]growing[-_]percent/.test(flag));
if (!given) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
