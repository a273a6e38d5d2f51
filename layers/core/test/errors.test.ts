// The domain-error mapping: what a client sees for each refusal must stay exactly what it
// was when the domains threw HTTP errors themselves (status, code, message, details, headers).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Conflict, DomainError, Gone, InvalidInput, NotAllowed, NotFound, NotSignedIn, RuleBroken, TooManyTries, ValidationFailed, issuesOf } from '../errors';
import { HttpError, errorMapper, payloadTooLarge, refusalOf, unsupportedMediaType, internalErrorBody } from '../http/errors';
import { beginRoute } from '../http/request';
import { gatewayEvent, lambdaContext, middyRequest, recordingLogger } from './support';

describe('domain errors as HTTP refusals', () => {
  it('gives each kind its status, code and message, and details only when there are some', () => {
    expect(refusalOf(new NotFound('Movie'))).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'Movie not found' } } });
    expect(refusalOf(new Conflict('Seats F7, F8 are taken', { takenSeats: ['F7', 'F8'] }))).toEqual({
      status: 409,
      body: { error: { code: 'conflict', message: 'Seats F7, F8 are taken', details: { takenSeats: ['F7', 'F8'] } } },
    });
    expect(refusalOf(new RuleBroken('startsAt must be in the future'))).toEqual({ status: 422, body: { error: { code: 'unprocessable', message: 'startsAt must be in the future' } } });
    expect(refusalOf(new InvalidInput('Reset token is invalid, used or expired'))).toEqual({ status: 400, body: { error: { code: 'bad_request', message: 'Reset token is invalid, used or expired' } } });
    expect(refusalOf(new NotAllowed())).toEqual({ status: 403, body: { error: { code: 'forbidden', message: 'You are not allowed to do this' } } });
    expect(refusalOf(new Gone('The showtime has been played'))).toEqual({ status: 410, body: { error: { code: 'gone', message: 'The showtime has been played' } } });
    expect(Object.keys(refusalOf(new NotFound('Hall'))!.body.error)).toEqual(['code', 'message']);
  });

  it('asks for a bearer token when the caller is not signed in', () => {
    expect(refusalOf(new NotSignedIn())).toEqual({ status: 401, body: { error: { code: 'unauthorized', message: 'Sign in required' } }, headers: { 'www-authenticate': 'Bearer' } });
    expect(refusalOf(new NotSignedIn('Email or password is wrong'))?.body.error.message).toBe('Email or password is wrong');
  });

  it('says when to try again after too many tries, in the body and in retry-after', () => {
    expect(refusalOf(new TooManyTries('Too many failed sign-ins; try again in 7 s', 7))).toEqual({
      status: 429,
      body: { error: { code: 'too_many_requests', message: 'Too many failed sign-ins; try again in 7 s', details: { retryAfterSeconds: 7 } } },
      headers: { 'retry-after': '7' },
    });
  });

  it('names each field of a failed validation', () => {
    const parsed = z.strictObject({ title: z.string(), durationMinutes: z.number() }).safeParse({ durationMinutes: '90', isAdmin: true });
    const issues = issuesOf(parsed.error!);
    expect(issues.map((i) => i.path).sort()).toEqual(['(root)', 'durationMinutes', 'title']);
    expect(refusalOf(new ValidationFailed('Invalid webhook body', issues))).toEqual({ status: 400, body: { error: { code: 'validation_failed', message: 'Invalid webhook body', details: issues } } });
  });

  it("keeps the HTTP layer's own refusals, and tells nothing of anything else", () => {
    expect(refusalOf(payloadTooLarge(65536))).toEqual({ status: 413, body: { error: { code: 'payload_too_large', message: 'Request body is larger than 65536 bytes' } }, headers: undefined });
    expect(refusalOf(unsupportedMediaType('Request body must be JSON'))?.status).toBe(415);
    expect(refusalOf(new HttpError(503, 'chain_unavailable', 'down'))).toBeUndefined();
    expect(refusalOf(new Error('connection refused'))).toBeUndefined();
    expect(refusalOf({ status: 404, code: 'not_found', message: 'looks like one' })).toBeUndefined();
  });

  it('domain errors say nothing of HTTP', () => {
    const err: DomainError = new Conflict('The booking is already cancelled');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('Conflict');
    expect(err.kind).toBe('conflict');
    expect('status' in err || 'code' in err || 'headers' in err).toBe(false);
  });
});

describe('the error mapper', () => {
  it('answers a refusal in our JSON format with its headers and the correlation id, and logs it as refused', async () => {
    const log = recordingLogger();
    const request = middyRequest(gatewayEvent());
    beginRoute(request.context, { correlationId: 'corr-1', log, started: Date.now() });
    request.error = new TooManyTries('Too many failed sign-ins; try again in 3 s', 3);
    await errorMapper().onError!(request);
    expect(request.response).toEqual({
      statusCode: 429,
      headers: { 'x-correlation-id': 'corr-1', 'retry-after': '3', 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ error: { code: 'too_many_requests', message: 'Too many failed sign-ins; try again in 3 s', details: { retryAfterSeconds: 3 } } }),
    });
    expect(log.lines).toEqual([{ level: 'info', msg: 'request refused', fields: { status: 429, code: 'too_many_requests', message: 'Too many failed sign-ins; try again in 3 s' } }]);
  });

  it('answers anything else with a bare 500, the detail in the log only', async () => {
    const log = recordingLogger();
    const request = middyRequest(gatewayEvent());
    beginRoute(request.context, { correlationId: 'corr-2', log, started: Date.now() });
    const failure = new Error('password authentication failed for user "cinema"');
    request.error = failure;
    await errorMapper().onError!(request);
    expect(request.response).toMatchObject({ statusCode: 500, body: JSON.stringify(internalErrorBody) });
    expect(JSON.stringify(request.response)).not.toMatch(/password/);
    expect(log.lines).toEqual([{ level: 'error', msg: 'request failed', fields: { err: failure } }]);
  });

  it('gives a request that failed before it had a correlation id a fresh one', async () => {
    const request = middyRequest(gatewayEvent(), lambdaContext());
    request.error = new NotFound('Movie');
    await errorMapper().onError!(request);
    const headers = (request.response as { headers: Record<string, string> }).headers;
    expect(headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
