// `npm run openapi`: writes the API's OpenAPI document (docs/openapi.json, which GET
// /openapi.json serves) and the web app's types generated from it (web/shared/api-schema.ts,
// by openapi-typescript). Run it after changing a route; a test fails while either is stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildApiDocument, ROOT } from './document';

export const DOCUMENT_FILE = join(ROOT, 'docs', 'openapi.json');
export const TYPES_FILE = join(ROOT, 'web', 'shared', 'api-schema.ts');

export const documentText = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;

export async function typesText(document: unknown): Promise<string> {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], { alphabetize: false });
  return `// Generated from docs/openapi.json by \`npm run openapi\` (openapi-typescript): do not edit.\n${astToString(ast)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const document = await buildApiDocument();
  writeFileSync(DOCUMENT_FILE, documentText(document));
  writeFileSync(TYPES_FILE, await typesText(document));
  console.log(`OpenAPI document: ${Object.keys(document.paths).length} paths → docs/openapi.json, web/shared/api-schema.ts`);
  process.exit(0);
}
