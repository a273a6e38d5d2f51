// What the API description says of a route beyond its request schemas (which route() holds):
// a summary in the cinema's words and every answer it can give, with its body's schema. Each
// domain keeps its routes' descriptions in its own `api.ts`, keyed by function name as in its
// functions.yml; infra/openapi builds the one OpenAPI document from them and the route table.
import { z } from 'zod';

export interface Answer {
  description: string;
  /** The JSON body's schema; none for an answer without a body (204, 302, 304). */
  body?: z.ZodType;
  /** Another content type than JSON (a page, a file), described in words. */
  content?: 'text/html' | 'text/csv' | 'application/octet-stream';
  headers?: Record<string, string>;
}

export interface RouteDoc {
  summary: string;
  description?: string;
  tag: string;
  /** The answers of the route's own: its successes and the refusals of its domain (404, 409, 422…). */
  responses: Record<number, Answer>;
  /** Where a route answers without route() (a page, a redirect): its parameters in words. */
  params?: Record<string, string>;
}

export type ApiDocs = Record<string, RouteDoc>;

/** The platform's one error format, of every refusal of every route. */
export const errorBody = z.strictObject({
  error: z.strictObject({
    code: z.string().describe('A stable, machine-readable code: bad_request, validation_failed, unauthorized, forbidden, not_found, conflict, gone, unprocessable, too_many_requests, payload_too_large, unsupported_media_type, internal'),
    message: z.string().describe('What is wrong, in words a person can act on'),
    details: z.unknown().optional().describe('More about the refusal: for a validation failure, each field (`body.title`) and its problem'),
  }),
}).meta({ id: 'Error' });

/**
 * The gateway's own refusal of a URL it cannot decode (a path whose percent-encoded bytes are
 * not UTF-8): it never reaches our functions, so it is in the gateway's words, not ours.
 */
export const gatewayRefusal = z.looseObject({ message: z.string() }).meta({ id: 'GatewayRefusal' });

/** A refusal of the route's own, with our error body. */
export const refusal = (description: string): Answer => ({ description, body: errorBody });

/** One page of a list. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.looseObject({ items: z.array(item), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() });

export const uuid = z.uuid();
export const instant = z.string().describe('An instant, ISO 8601 (2026-12-01T19:30:00.000Z)');
export const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe('A calendar day, ISO 8601 (2026-12-01)');
export const money = z.number().describe('An amount in the currency’s minor unit (cents)');
