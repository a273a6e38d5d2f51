// Where a provider sign-in may send the browser back: only to the web app.
import { describe, expect, it } from 'vitest';
import { checkReturnTo } from './oidc';

const app = ['https://cinema.example', 'http://127.0.0.1:4000'];

describe('returnTo', () => {
  it('accepts a page of an allowed origin', () => {
    expect(checkReturnTo('https://cinema.example/account?tab=sign-in', app)).toBe('https://cinema.example/account?tab=sign-in');
    expect(checkReturnTo('http://127.0.0.1:4000/', app)).toBe('http://127.0.0.1:4000/');
  });

  it.each([
    'https://attacker.example/',
    'https://cinema.example.attacker.example/',
    'https://cinema.example:8443/',
    'http://cinema.example/',
    'javascript:alert(1)',
    '//cinema.example/',
    'not a url',
  ])('refuses %s', (returnTo) => {
    expect(() => checkReturnTo(returnTo, app)).toThrow(/returnTo must be a page of the web app/);
  });

  it('refuses a fragment of its own: the answer goes there', () => {
    expect(() => checkReturnTo('https://cinema.example/#x', app)).toThrow(/fragment/);
  });
});
