// The bundle cache (infra/local/bundle-cache-plugin.cjs) around a bundler that does what
// serverless-esbuild does (esbuild with a metafile per entry into the work folder's build
// folder): a start reuses the kept bundles only while every input hashes the same, a change
// to any imported source rebuilds, and starts at once never leave a half-written entry.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const BundleCache = createRequire(import.meta.url)('../../infra/local/bundle-cache-plugin.cjs');
const root = mkdtempSync(join(tmpdir(), 'cinema-bundle-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const write = (file: string, text: string) => {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
};
write('package-lock.json', '{}');
write('package.json', '{}');
write('tsconfig.json', '{}');
write('serverless.yml', 'service: probe\n');
write('functions/greet.ts', "import { word } from './word';\nexport const handler = () => word;\n");
write('functions/word.ts', "export const word = 'hello';\n");

/** One `offline start`: the plugin's hook, then serverless-esbuild's bundle(); what it served and whether it bundled. */
async function start(workFolder: string, buildOptions: Record<string, unknown> = { format: 'esm', bundle: true, platform: 'node' }) {
  let bundled = false;
  const logs: string[] = [];
  class EsbuildServerlessPlugin {
    buildOptions = { ...buildOptions, outputWorkFolder: workFolder };
    functionEntries = [{ entry: 'functions/greet.ts' }];
    buildDirPath = join(root, workFolder, '.build');
    serverless: any;
    prepare() {
      mkdirSync(this.buildDirPath, { recursive: true });
    }
    async bundle(this: EsbuildServerlessPlugin) {
      this.prepare();
      bundled = true;
      const { metafile } = await build({ entryPoints: ['functions/greet.ts'], absWorkingDir: root, bundle: true, format: 'esm', platform: 'node', outdir: join(this.buildDirPath, 'functions'), outExtension: { '.js': '.mjs' }, metafile: Boolean((this.buildOptions as any).metafile), logLevel: 'silent' });
      if (metafile) writeFileSync(join(this.buildDirPath, 'functions/greet-meta.json'), JSON.stringify(metafile));
    }
  }
  const esbuild = new EsbuildServerlessPlugin();
  const serverless = { config: { servicePath: root }, cli: { log: (m: string) => logs.push(m) }, pluginManager: { plugins: [esbuild] }, service: { custom: {} as any } };
  esbuild.serverless = serverless;
  const cache = new BundleCache(serverless);
  await cache.hooks['before:offline:start:init']();
  await esbuild.bundle();
  const location = serverless.service.custom['serverless-offline']?.location ?? join(workFolder, '.build');
  const served = await import(`${pathToFileURL(join(root, location, 'functions/greet.mjs')).href}?${Math.random()}`);
  return { bundled, says: served.handler(), logs };
}

describe('the bundle cache', () => {
  it('reuses the bundles while nothing changed, and rebuilds on a change to an imported source', async () => {
    const first = await start('.esbuild/a');
    expect(first).toMatchObject({ bundled: true, says: 'hello' });
    expect(first.logs.join('\n')).toMatch(/bundles kept in .*\(\d+ inputs\)/);
    // another work folder (another stack) reuses them
    expect(await start('.esbuild/b')).toMatchObject({ bundled: false, says: 'hello' });

    write('functions/word.ts', "export const word = 'bonjour';\n");
    expect(await start('.esbuild/c')).toMatchObject({ bundled: true, says: 'bonjour' });
    expect(await start('.esbuild/d')).toMatchObject({ bundled: false, says: 'bonjour' });
  });

  it('rebuilds when the build settings or the lock file change', async () => {
    await start('.esbuild/e');
    expect((await start('.esbuild/f', { format: 'esm', bundle: true, platform: 'node', minify: true })).bundled).toBe(true);
    write('package-lock.json', '{"lockfileVersion":3}');
    expect((await start('.esbuild/g')).bundled).toBe(true);
    expect((await start('.esbuild/h')).bundled).toBe(false);
  });

  it('keeps whole entries when several starts bundle at once', async () => {
    write('functions/word.ts', "export const word = 'hej';\n");
    const runs = await Promise.all(['1', '2', '3', '4'].map((n) => start(`.esbuild/p${n}`)));
    expect(runs.map((r) => r.says)).toEqual(['hej', 'hej', 'hej', 'hej']);
    const cacheDir = join(root, '.esbuild', 'cache');
    expect(readdirSync(cacheDir).filter((n) => n.startsWith('.tmp-') || n.endsWith('.tmp'))).toEqual([]);
    for (const n of readdirSync(cacheDir).filter((n) => n.endsWith('.json'))) expect(() => JSON.parse(readFileSync(join(cacheDir, n), 'utf8'))).not.toThrow();
    expect(await start('.esbuild/q')).toMatchObject({ bundled: false, says: 'hej' });
  });

  it('bundles every time when switched off', async () => {
    process.env.CINEMA_BUNDLE_CACHE = 'off';
    try {
      expect((await start('.esbuild/r')).bundled).toBe(true);
    } finally {
      delete process.env.CINEMA_BUNDLE_CACHE;
    }
  });
});
