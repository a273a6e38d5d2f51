// The path, the query and the body checked against the route's schemas, in that order; the
// handler sees only what passed, already converted (numbers, defaults).
import type { z } from 'zod';
import { InvalidInput, ValidationFailed, issuesOf } from '../errors';
import { routeState, type HttpMiddleware } from './request';

export interface Schemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
}

function refusal(where: string, error: z.ZodError): ValidationFailed {
  const issues = issuesOf(error);
  const summary = issues.slice(0, 3).map((d) => `${d.path}: ${d.message}`).join('; ');
  return new ValidationFailed(`Invalid ${where}: ${summary}`, issues);
}

export function validation(schemas: Schemas): HttpMiddleware {
  return {
    before: async (request) => {
      const { event } = request;
      const state = routeState(request.context);
      if (schemas.params) {
        const params = schemas.params.safeParse(event.pathParameters ?? {});
        if (!params.success) throw refusal('path', params.error);
        state.params = params.data;
      }
      if (schemas.query) {
        const query = schemas.query.safeParse(event.queryStringParameters ?? {});
        if (!query.success) throw refusal('query', query.error);
        state.query = query.data;
      }
      if (schemas.body) {
        if (state.parsedBody === undefined) throw new InvalidInput('Request body is required');
        const body = schemas.body.safeParse(state.parsedBody);
        if (!body.success) throw refusal('body', body.error);
        state.body = body.data;
      }
    },
  };
}
