// Holds the API's description true: every answer the HTTP tests receive through the test
// stack's Api client is checked against docs/openapi.json (the document GET /openapi.json
// serves) — its route and status must be listed, its body must match the status's schema.
// A path that is no route must get our catch-all 404. Each stack counts what it checked.
import { appendFileSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { ROOT } from '../../infra/local/gateway';

type Json = Record<string, any>;

export class UndocumentedAnswer extends Error {
  override name = 'UndocumentedAnswer';
}

// The development identity provider (local stages only) plays an outside provider, as the test
// provider's card network would: its routes are not the platform's API.
const OUTSIDE = /^\/dev-idp(\/|$)/;

export interface AnswerCheck {
  (method: string, url: string, status: number, body: unknown): void;
  /** Answers checked so far, and how many of them were the catch-all's 404 for a path that is no route. */
  counts(): { checked: number; unknownPaths: number; outside: number };
}

export function loadApiDocument(file = join(ROOT, 'docs', 'openapi.json')): Json {
  return JSON.parse(readFileSync(file, 'utf8')) as Json;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** A checker of answers against `document`. */
export function answerChecker(document: Json): AnswerCheck {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(document, 'api');
  const compiled = new Map<string, ValidateFunction>();
  const routes = Object.keys(document.paths)
    .map((template) => ({ template, pattern: new RegExp(`^${template.split(/\{[^}]+\}/).map(escape).join('[^/]+')}$`), params: (template.match(/\{/g) ?? []).length }))
    .sort((a, b) => a.params - b.params);
  let checked = 0;
  let unknownPaths = 0;
  let outside = 0;
  const check = ((method: string, url: string, status: number, body: unknown) => {
    const path = new URL(url, 'http://api').pathname;
    if (OUTSIDE.test(path)) {
      outside++;
      return;
    }
    checked++;
    const verb = method.toLowerCase();
    const route = routes.find((r) => r.pattern.test(path) && document.paths[r.template][verb]);
    if (!route) {
      const catchAll = status === 404 && (body as Json | undefined)?.error?.code === 'not_found';
      if (!catchAll) throw new UndocumentedAnswer(`${method} ${path} is no route of the document, yet it answered ${status} ${JSON.stringify(body).slice(0, 200)} (not our 404)`);
      unknownPaths++;
      return;
    }
    const responses = document.paths[route.template][verb].responses as Json;
    const answer = responses[String(status)];
    if (!answer) throw new UndocumentedAnswer(`${method} ${route.template} answered ${status}, which the document does not list (it lists ${Object.keys(responses).join(', ')}): ${JSON.stringify(body).slice(0, 300)}`);
    const resolved: Json = answer.$ref ? ajv.getSchema(`api${answer.$ref}`)?.schema ?? resolveRef(document, answer.$ref) : answer;
    const json = resolved.content?.['application/json'];
    if (!json) {
      if (resolved.content) return; // a page or a file
      if (body !== undefined && body !== '') throw new UndocumentedAnswer(`${method} ${route.template} ${status} has a body the document does not describe: ${JSON.stringify(body).slice(0, 200)}`);
      return;
    }
    const ref = answer.$ref ? `api${answer.$ref}/content/application~1json/schema` : `api#/${pointer('paths', route.template, verb, 'responses', String(status), 'content', 'application/json', 'schema')}`;
    let validate = compiled.get(ref);
    if (!validate) compiled.set(ref, (validate = ajv.compile({ $ref: ref })));
    if (!validate(body)) {
      const problems = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(body)'} ${e.message}`).join('; ');
      throw new UndocumentedAnswer(`${method} ${route.template} ${status}: the body does not match the document: ${problems}: ${JSON.stringify(body).slice(0, 300)}`);
    }
  }) as AnswerCheck;
  check.counts = () => ({ checked, unknownPaths, outside });
  return check;
}

function resolveRef(document: Json, ref: string): Json {
  return ref.replace(/^#\//, '').split('/').reduce((node: Json, part) => node[part.replace(/~1/g, '/').replace(/~0/g, '~')], document);
}

/** Says how many answers a stack checked: a line in the test's output, and one in .openapi-answers.jsonl (the README's figure adds them up). */
export function recordAnswerCounts(counts: { checked: number; unknownPaths: number; outside: number }): void {
  let file = 'unknown';
  try {
    file = relative(ROOT, expect.getState().testPath ?? 'unknown');
  } catch {
    /* outside a test */
  }
  console.log(`openapi: ${counts.checked} answers checked against the document (${counts.unknownPaths} of them our 404 for a path that is no route) in ${file}`);
  appendFileSync(join(ROOT, '.openapi-answers.jsonl'), `${JSON.stringify({ file, ...counts, at: new Date().toISOString() })}\n`);
}
