// The route table, read from the same files serverless.yml includes, so a test that
// covers "every route" covers the ones added later too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { ROOT } from '../../infra/local/gateway';

export interface RouteEntry {
  fn: string;
  method: string;
  path: string;
  protected: boolean;
  /** Whether its handler is built with route() (and so has the HTTP onion's rules); the web app's pages are not. */
  throughRoute: boolean;
}

export function httpRoutes(): RouteEntry[] {
  const root = readFileSync(join(ROOT, 'serverless.yml'), 'utf8');
  const files = [...root.matchAll(/\$\{file\(([^)]+)\)\}/g)].map((m) => m[1]);
  const routes: RouteEntry[] = [];
  for (const file of files) {
    const fns = parseYaml(readFileSync(join(ROOT, file), 'utf8')) as Record<string, { handler: string; events?: { httpApi?: string | { method: string; path: string; authorizer?: unknown } }[] }>;
    for (const [fn, def] of Object.entries(fns ?? {})) {
      for (const ev of def.events ?? []) {
        // `httpApi: '*'` is the gateway's catch-all ($default), no route of the API
        if (!ev.httpApi || typeof ev.httpApi === 'string') continue;
        const source = readFileSync(join(ROOT, def.handler.replace(/\.[^.]+$/, '.ts')), 'utf8');
        routes.push({ fn, method: ev.httpApi.method.toUpperCase(), path: ev.httpApi.path, protected: !!ev.httpApi.authorizer, throughRoute: /\broute\(/.test(source) });
      }
    }
  }
  return routes;
}
