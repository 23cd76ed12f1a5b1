/** The routes an express 5 app has registered, as "METHOD path" (sub-routers walked). */
import type express from 'express';

interface Layer {
  readonly route?: { readonly path: string | string[]; readonly methods: Record<string, boolean> };
  readonly handle?: { readonly stack?: readonly Layer[] };
}

/** Every route of `app`: one "METHOD path" per method (array paths joined with commas). */
export function routesOf(app: express.Express): string[] {
  const routes: string[] = [];
  const walk = (stack: readonly Layer[]): void => {
    for (const layer of stack) {
      if (layer.route !== undefined) {
        const path = Array.isArray(layer.route.path)
          ? layer.route.path.join(',')
          : layer.route.path;
        for (const [method, on] of Object.entries(layer.route.methods))
          if (on && method !== '_all') routes.push(`${method.toUpperCase()} ${path}`);
      } else if (layer.handle?.stack !== undefined) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return routes;
}
