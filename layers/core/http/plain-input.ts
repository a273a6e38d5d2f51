// The one rule every value a client sends must keep, whatever the route's own schema says:
// the path parameters, the query parameters and every string, key and number of the JSON
// body. It runs before validation, so a new route gets it without asking, and what it
// refuses never reaches a handler or PostgreSQL (which refuses `\u0000` in text and years
// it cannot store, and would answer a 500).
//
// - text is well-formed Unicode: no lone UTF-16 surrogate;
// - no control character (C0, DEL, C1), NUL included. Tab, line feed and carriage return are
//   allowed only in the body fields a route names as free text (a movie's description);
//   names, ids, emails, query and path values are one line;
// - no string longer than the part allows (path 200, query 500, body 10,000 characters;
//   the route's schema is usually tighter);
// - numbers finite and within ±(2^53 − 1), where every integer is exact;
// - a value written as an ISO date (`2026-12-01`, `2026-12-01T19:30:00Z`) is a real day of
//   a year from 1800 to 2199; extended years (`+010000-…`) are refused — except in a
//   password field, which is never read as a date (`2026-02-30` is a password like any other);
// - the body nests at most 32 levels.
// Each refusal names the field, as `path.id`, `query.date`, `body.title` or `body.rows.0.label`.
import { ValidationFailed, type Issue } from '../errors';
import { routeState, type HttpMiddleware } from './request';

export const MAX_LENGTH = { path: 200, query: 500, body: 10_000 } as const;
export const YEARS = { first: 1800, last: 2199 } as const;
const MAX_DEPTH = 32;
/** password, newPassword, currentPassword…: what a person typed as a secret is never read as a date. */
const PASSWORD_FIELD = /password$/i;

type Part = keyof typeof MAX_LENGTH;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/;
const EXTENDED_YEAR = /^[+-]\d{5,}-\d{2}-\d{2}/;

/** What is wrong with one string, or undefined. */
export function textProblem(value: string, opts: { maxLength: number; freeText?: boolean; secret?: boolean }): string | undefined {
  if (value.includes('\u0000')) return 'must not contain a NUL character';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (it has a lone surrogate)';
  if ((opts.freeText ? CONTROL_BUT_LINES : CONTROL).test(value)) {
    return opts.freeText ? 'must not contain control characters other than tab and line breaks' : 'must not contain control characters (tabs and line breaks included)';
  }
  if (value.length > opts.maxLength) return `must be at most ${opts.maxLength} characters`;
  return opts.secret ? undefined : dateProblem(value);
}

function dateProblem(value: string): string | undefined {
  if (EXTENDED_YEAR.test(value)) return `must be a date in the years ${YEARS.first}–${YEARS.last}`;
  const m = ISO_DAY.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < YEARS.first || year > YEARS.last) return `must be a date in the years ${YEARS.first}–${YEARS.last}`;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return 'must be a real calendar date';
  return undefined;
}

function numberProblem(value: number): string | undefined {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (Math.abs(value) > Number.MAX_SAFE_INTEGER) return `must be between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`;
  return undefined;
}

/** The problems of one flat part (path or query parameters), each named `part.key`. */
export function flatPartIssues(part: Exclude<Part, 'body'>, values: Record<string, string | undefined> | null | undefined): Issue[] {
  const issues: Issue[] = [];
  for (const [key, value] of Object.entries(values ?? {})) {
    const keyProblem = textProblem(key, { maxLength: 100 });
    const name = keyProblem ? `${part}.(a parameter name)` : `${part}.${key}`;
    const problem = keyProblem ?? (value === undefined ? undefined : textProblem(value, { maxLength: MAX_LENGTH[part] }));
    if (problem) issues.push({ path: name, message: problem });
  }
  return issues;
}

/**
 * The problems of a JSON body. `freeText` lists the fields (dotted paths, `*` for any array
 * index or key) whose text may hold tabs and line breaks.
 */
export function bodyIssues(body: unknown, freeText: readonly string[] = []): Issue[] {
  const issues: Issue[] = [];
  const free = freeText.map((p) => p.split('.'));
  const isFree = (path: string[]) => free.some((p) => p.length === path.length && p.every((s, i) => s === '*' || s === path[i]));
  // iterative, so a deeply nested body cannot exhaust the stack
  const todo: { value: unknown; path: string[] }[] = [{ value: body, path: [] }];
  while (todo.length && issues.length < 20) {
    const { value, path } = todo.pop()!;
    const name = ['body', ...path].join('.');
    if (path.length > MAX_DEPTH) {
      issues.push({ path: name, message: `must not nest deeper than ${MAX_DEPTH} levels` });
      continue;
    }
    if (typeof value === 'string') {
      const problem = textProblem(value, { maxLength: MAX_LENGTH.body, freeText: isFree(path), secret: PASSWORD_FIELD.test(path.at(-1) ?? '') });
      if (problem) issues.push({ path: name, message: problem });
    } else if (typeof value === 'number') {
      const problem = numberProblem(value);
      if (problem) issues.push({ path: name, message: problem });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => todo.push({ value: v, path: [...path, String(i)] }));
    } else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        const problem = textProblem(key, { maxLength: 100 });
        if (problem) issues.push({ path: `${name}.(a field name)`, message: problem });
        else todo.push({ value: v, path: [...path, key] });
      }
    }
  }
  return issues;
}

export function plainInput(opts: { freeText?: readonly string[] } = {}): HttpMiddleware {
  return {
    before: async (request) => {
      const { event } = request;
      const issues = [
        ...flatPartIssues('path', event.pathParameters),
        ...flatPartIssues('query', event.queryStringParameters),
        ...bodyIssues(routeState(request.context).parsedBody, opts.freeText),
      ];
      if (issues.length) {
        const summary = issues.slice(0, 3).map((d) => `${d.path}: ${d.message}`).join('; ');
        throw new ValidationFailed(`Invalid input: ${summary}`, issues);
      }
    },
  };
}
