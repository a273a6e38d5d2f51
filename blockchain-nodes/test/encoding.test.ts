import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, EncodingError } from '../src/chain/encoding';

describe('canonical encoding (RFC 8785 for the values we allow)', () => {
  it('sorts keys by UTF-16 code units, at every depth, without whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ z: null, y: true }], '\u20ac': 'x' })).toBe('{"a":[{"y":true,"z":null}],"b":1,"\u20ac":"x"}');
    // Code-point order would put U+FFFF first; UTF-16 order (0xD83D < 0xFFFF) does not.
    expect(canonicalJson({ '\uffff': 1, '\ud83d\ude00': 2 })).toBe('{"\ud83d\ude00":2,"\uffff":1}');
  });

  it('writes numbers in their shortest round-trip form, and -0 as 0', () => {
    expect(canonicalJson([1e21, 1e-7, 0.1, -0, 100, 333333333.3333333])).toBe('[1e+21,1e-7,0.1,0,100,333333333.3333333]');
  });

  it('refuses values that JSON would silently drop or alter', () => {
    for (const bad of [{ a: undefined }, [NaN], [Infinity], { d: new Date(0) }, ['\ud800'], 1n, () => 1])
      expect(() => canonicalJson(bad)).toThrow(EncodingError);
  });

  it('is a function of the value, not of key insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
      }),
      { seed: 1, numRuns: 200 },
    );
  });

  it('parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { seed: 2, numRuns: 200 },
    );
  });
});
