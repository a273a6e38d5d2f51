// Builds the customer web app and the test provider's payment page into static files
// (web/dist): hashed bundles under assets/, and the two HTML pages that name them. Nothing
// is fetched from a CDN: Preact and everything else is in the bundles.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = join(here, 'dist');

const PAGES = {
  index: { entry: 'app/main.tsx', title: 'Cinema — book your seats' },
  'test-provider': { entry: 'test-provider/main.tsx', title: 'Test payment provider' },
} as const;

const html = (title: string, script: string, style: string | undefined) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
${style ? `<link rel="stylesheet" href="/assets/${style}">\n` : ''}<script type="module" src="/assets/${script}"></script>
</head>
<body>
<div id="root"></div>
<noscript>This page needs JavaScript.</noscript>
</body>
</html>
`;

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#7c2d12"/><path d="M8 10h16v12H8z" fill="#fde68a"/><path d="M13 13l7 3-7 3z" fill="#7c2d12"/></svg>`;

// The API reference at /docs: swagger-ui's own bundle, served by us, reading /openapi.json.
const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', validatorUrl: null, deepLinking: true, tryItOutEnabled: false });\n`;
const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cinema platform API reference</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/swagger-ui.css">
<script src="/assets/swagger-ui-bundle.js" defer></script>
<script src="/assets/docs-init.js" defer></script>
</head>
<body>
<main id="swagger-ui"></main>
<noscript>This page needs JavaScript; the document itself is at <a href="/openapi.json">/openapi.json</a>.</noscript>
</body>
</html>
`;

function apiReference(outDir: string): string[] {
  for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css']) copyFileSync(join(SWAGGER_UI, file), join(outDir, 'assets', file));
  writeFileSync(join(outDir, 'assets', 'docs-init.js'), DOCS_INIT);
  writeFileSync(join(outDir, 'docs.html'), DOCS_HTML);
  return ['assets/swagger-ui-bundle.js', 'assets/swagger-ui.css', 'assets/docs-init.js', 'docs.html'];
}

/** Builds into `outDir` (web/dist by default) and returns the files it wrote, relative to it. */
export async function buildWebApp(outDir = WEB_DIST, opts: { minify?: boolean } = {}): Promise<string[]> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'assets'), { recursive: true });
  const result = await build({
    absWorkingDir: here,
    entryPoints: Object.fromEntries(Object.entries(PAGES).map(([name, p]) => [name === 'index' ? 'app' : name, p.entry])),
    outdir: join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: opts.minify ?? true,
    sourcemap: false,
    metafile: true,
    logLevel: 'warning',
    tsconfig: join(here, 'tsconfig.json'),
  });
  const outputs = Object.entries(result.metafile.outputs);
  const written = outputs.map(([file]) => `assets/${basename(file)}`);
  for (const [name, page] of Object.entries(PAGES)) {
    const [js, meta] = outputs.find(([, o]) => o.entryPoint === page.entry)!;
    const css = meta.cssBundle ? basename(meta.cssBundle) : undefined;
    writeFileSync(join(outDir, `${name}.html`), html(page.title, basename(js), css));
    written.push(`${name}.html`);
  }
  writeFileSync(join(outDir, 'assets', 'favicon.svg'), FAVICON);
  written.push('assets/favicon.svg');
  written.push(...apiReference(outDir));
  return written.sort();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await buildWebApp(process.argv[2] ?? WEB_DIST);
  console.log(`web app built: ${files.length} files in ${process.argv[2] ?? 'web/dist'}`);
}
