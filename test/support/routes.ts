import { TestApp } from './test-app';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every route the running application answers, as "METHOD /path", read from Express's router. */
export function listRoutes(t: TestApp): string[] {
  const express = t.app.getHttpAdapter().getInstance();
  const stack = express.router.stack as unknown as Layer[];
  return stack
    .filter((layer) => layer.route)
    .flatMap((layer) =>
      Object.keys(layer.route!.methods)
        .filter((m) => m !== '_all')
        .map((method) => `${method.toUpperCase()} ${layer.route!.path}`),
    )
    .sort();
}
