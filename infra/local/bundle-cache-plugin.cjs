// A local Serverless plugin: serverless-offline starts on the bundles of an earlier start when
// nothing they were built from changed, instead of serverless-esbuild bundling every function
// again (most of a warm `npm start`, and of every test file's gateway).
//
// An entry of the cache (.esbuild/cache, shared by every work folder) is keyed by what the
// build depends on besides the sources: the esbuild options, the functions' entries, the
// versions of esbuild and serverless-esbuild, package-lock.json, package.json, tsconfig.json
// and serverless.yml. It keeps, beside the bundles, the content hash of every file esbuild
// read for them (its metafile's inputs, node_modules included): a start reuses the bundles
// only if every one of those files still hashes the same. A new import needs a change to a
// file already imported, so it is seen too. Entries are written to a temporary folder and
// renamed into place, so stacks starting at once never see half an entry.
//
// CINEMA_BUNDLE_CACHE=off bundles every time (and leaves the cache alone);
// CINEMA_BUNDLE_CACHE_DIR puts the cache elsewhere (the start-up bench: a cold start per round).
const { createHash, randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT_FILES = ['package-lock.json', 'package.json', 'tsconfig.json', 'serverless.yml'];
// a bundle folder no entry points at any more is removed after this long: a stack still
// running on it loads its functions lazily, at their first invocation
const STALE_MS = 24 * 3600_000;

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

function fileHash(file) {
  try {
    return sha256(fs.readFileSync(file));
  } catch {
    return undefined; // gone: not the same inputs
  }
}

function packageVersion(root, name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** Writes a file by renaming a complete temporary one over it. */
function writeAtomically(file, text) {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

class BundleCache {
  constructor(serverless) {
    this.serverless = serverless;
    this.root = serverless.config.serviceDir || serverless.config.servicePath;
    this.cacheDir = process.env.CINEMA_BUNDLE_CACHE_DIR ? path.resolve(this.root, process.env.CINEMA_BUNDLE_CACHE_DIR) : path.join(this.root, '.esbuild', 'cache');
    const reuse = () => this.wrapBundle();
    this.hooks = { 'before:offline:start': reuse, 'before:offline:start:init': reuse };
  }

  log(message) {
    // serverless's verbose lines (SLS_LOG_LEVEL=info), like serverless-esbuild's own
    this.serverless.cli.log(`[bundle cache] ${message}`);
  }

  /** Wraps serverless-esbuild's bundle() for this start: reuse a matching entry, or bundle and keep one. */
  wrapBundle() {
    if ((process.env.CINEMA_BUNDLE_CACHE ?? '').toLowerCase() === 'off') return;
    const esbuild = this.serverless.pluginManager.plugins.find((p) => p.constructor && p.constructor.name === 'EsbuildServerlessPlugin');
    if (!esbuild || esbuild.bundleCacheWrapped) return;
    esbuild.bundleCacheWrapped = true;
    const original = esbuild.bundle;
    const cache = this;
    esbuild.bundle = async function bundleOrReuse() {
      // once per start: a rebuild on watch goes to serverless-esbuild as it is
      esbuild.bundle = original;
      const key = cache.configKey(this);
      const hit = cache.lookup(key);
      if (hit) {
        this.prepare();
        fs.utimesSync(hit, new Date(), new Date()); // in use: not stale
        this.serverless.service.custom = this.serverless.service.custom ?? {};
        this.serverless.service.custom['serverless-offline'] = { ...this.serverless.service.custom['serverless-offline'], location: path.relative(cache.root, hit) };
        cache.log(`bundles reused from ${path.relative(cache.root, hit)}`);
        return;
      }
      this.buildOptions.metafile = true; // the inputs each bundle read, to hash
      await original.call(this);
      try {
        cache.store(key, this);
      } catch (err) {
        cache.log(`bundles not kept: ${err.message}`);
      }
    };
  }

  /** What the bundles depend on besides the sources they import. */
  configKey(esbuild) {
    const { outputWorkFolder, outputBuildFolder, keepOutputDirectory, metafile, ...options } = esbuild.buildOptions;
    const entries = [...new Set(esbuild.functionEntries.map((e) => e.entry))].sort();
    const files = Object.fromEntries(ROOT_FILES.map((f) => [f, fileHash(path.join(this.root, f)) ?? null]));
    const versions = { esbuild: packageVersion(this.root, 'esbuild'), 'serverless-esbuild': packageVersion(this.root, 'serverless-esbuild') };
    return sha256(JSON.stringify({ options, entries, files, versions, plugins: (esbuild.plugins ?? []).map((p) => p.name) })).slice(0, 24);
  }

  /** The folder of a kept build whose every input still hashes the same, if any. */
  lookup(key) {
    let entry;
    try {
      entry = JSON.parse(fs.readFileSync(path.join(this.cacheDir, `${key}.json`), 'utf8'));
    } catch {
      return undefined;
    }
    const dir = path.join(this.cacheDir, entry.dir);
    if (!fs.existsSync(dir)) return undefined;
    for (const [file, hash] of Object.entries(entry.inputs)) if (fileHash(path.join(this.root, file)) !== hash) return undefined;
    return dir;
  }

  /** Keeps this start's bundles and their inputs' hashes as the entry of `key`. */
  store(key, esbuild) {
    const buildDir = esbuild.buildDirPath;
    const inputs = {};
    for (const { entry } of esbuild.functionEntries) {
      const meta = path.join(buildDir, `${entry.slice(0, entry.lastIndexOf('.'))}-meta.json`);
      for (const file of Object.keys(JSON.parse(fs.readFileSync(meta, 'utf8')).inputs)) inputs[file] ??= fileHash(path.join(this.root, file));
    }
    if (Object.values(inputs).some((h) => h === undefined)) throw new Error('an input is gone');
    const digest = sha256(JSON.stringify(Object.entries(inputs).sort())).slice(0, 16);
    const name = `${key}-${digest}`;
    fs.mkdirSync(this.cacheDir, { recursive: true });
    const dir = path.join(this.cacheDir, name);
    if (!fs.existsSync(dir)) {
      const tmp = path.join(this.cacheDir, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
      // the bundles and their source maps; not the copied extras (web/dist is read from the service folder)
      fs.cpSync(buildDir, tmp, { recursive: true, filter: (src) => fs.statSync(src).isDirectory() || /\.(mjs|map)$/.test(src) });
      try {
        fs.renameSync(tmp, dir);
      } catch (err) {
        fs.rmSync(tmp, { recursive: true, force: true });
        if (!fs.existsSync(dir)) throw err; // else another start kept the same build first
      }
    }
    writeAtomically(path.join(this.cacheDir, `${key}.json`), JSON.stringify({ dir: name, inputs }));
    this.log(`bundles kept in ${path.relative(this.root, dir)} (${Object.keys(inputs).length} inputs)`);
    this.prune();
  }

  /** Removes bundle folders no entry points at, unused for a day, and temporaries left by a crash. */
  prune() {
    const names = fs.readdirSync(this.cacheDir);
    const pointed = new Set();
    for (const n of names.filter((n) => n.endsWith('.json'))) {
      try {
        pointed.add(JSON.parse(fs.readFileSync(path.join(this.cacheDir, n), 'utf8')).dir);
      } catch {
        /* being replaced */
      }
    }
    for (const n of names) {
      if (n.endsWith('.json') || n.endsWith('.tmp') || pointed.has(n)) continue;
      const full = path.join(this.cacheDir, n);
      try {
        if (Date.now() - fs.statSync(full).mtimeMs > STALE_MS) fs.rmSync(full, { recursive: true, force: true });
      } catch {
        /* removed by another start */
      }
    }
  }
}

module.exports = BundleCache;
