import { describe, expect, it } from 'vitest';
import {
  escapeJson,
  escapeText,
  kvFields,
  kvKey,
  kvValue,
  textValue,
  toJsonLine,
} from '../../src/formats/escape.js';
import { RAW_CONTROL } from './capture.js';
import { parseLogfmt } from './parsers.js';

/** Character, its visible escape. */
const ESCAPES = [
  ['NUL', '\x00', '\\x00'],
  ['BEL', '\x07', '\\x07'],
  ['TAB', '\t', '\\t'],
  ['LF', '\n', '\\n'],
  ['VT', '\x0b', '\\x0b'],
  ['FF', '\x0c', '\\x0c'],
  ['CR', '\r', '\\r'],
  ['ESC', '\x1b', '\\x1b'],
  ['US', '\x1f', '\\x1f'],
  ['DEL', '\x7f', '\\x7f'],
  ['PAD (U+0080)', '\x80', '\\x80'],
  ['NEL (U+0085)', '\x85', '\\x85'],
  ['CSI (U+009B)', '\x9b', '\\x9b'],
  ['APC (U+009F)', '\x9f', '\\x9f'],
  ['LINE SEPARATOR (U+2028)', '\u2028', '\\u2028'],
  ['PARAGRAPH SEPARATOR (U+2029)', '\u2029', '\\u2029'],
] as const;

describe('escapeText', () => {
  for (const [name, char, escaped] of ESCAPES) {
    it(`writes ${name} as ${escaped}`, () => {
      expect(escapeText(`a${char}b`)).toBe(`a${escaped}b`);
    });
  }

  it('leaves printable text, quotes, backslashes and non-ASCII letters unchanged', () => {
    const text = 'plain "quoted" \\ back zażółć 日本 🐍 \u00a0nbsp';
    expect(escapeText(text)).toBe(text);
  });

  it('escapes every C0 control, DEL and C1 control (U+0000–U+001F, U+007F–U+009F)', () => {
    for (let code = 0; code <= 0x9f; code++) {
      if (code >= 0x20 && code < 0x7f) continue;
      expect(escapeText(String.fromCharCode(code))).not.toMatch(RAW_CONTROL);
    }
  });
});

describe('escapeJson and toJsonLine', () => {
  for (const [name, char] of ESCAPES) {
    it(`leaves no raw ${name} in JSON text and parses back to it`, () => {
      const json = toJsonLine({ [`k${char}`]: `v${char}` });
      expect(json).not.toMatch(RAW_CONTROL);
      expect(JSON.parse(json)).toEqual({ [`k${char}`]: `v${char}` });
    });
  }

  it('writes DEL, C1 and U+2028/U+2029 as \\u escapes', () => {
    expect(escapeJson(JSON.stringify('\x7f\x85\u2028\u2029'))).toBe('"\\u007f\\u0085\\u2028\\u2029"');
  });

  it('writes null for a value JSON.stringify cannot represent', () => {
    expect(toJsonLine(undefined)).toBe('null');
  });
});

describe('kvValue (logfmt values)', () => {
  for (const [value, written] of [
    ['bare', 'bare'],
    ['two words', '"two words"'],
    ['', '""'],
    ['a=b', '"a=b"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['C:\\temp', '"C:\\\\temp"'],
    ['a\nb', '"a\\nb"'],
    ['a\\nb', '"a\\\\nb"'],
    ['\x1b[31m', '"\\x1b[31m"'],
    ['\u2028', '"\\u2028"'],
  ] as const) {
    it(`writes ${JSON.stringify(value)} as ${written}`, () => {
      expect(kvValue(value)).toBe(written);
    });
  }

  for (const [value, written] of [
    [42, '42'],
    [-0.5, '-0.5'],
    [true, 'true'],
    [null, 'null'],
    [{ a: 'b c' }, '"{\\"a\\":\\"b c\\"}"'],
    [[1, 'x'], '"[1,\\"x\\"]"'],
  ] as const) {
    it(`writes ${JSON.stringify(value)} as ${written}`, () => {
      expect(kvValue(value)).toBe(written);
    });
  }

  it('gives back every string through a logfmt reader', () => {
    for (let code = 0; code <= 0x9f; code++) {
      const s = `x${String.fromCharCode(code)}"\\y`;
      expect(parseLogfmt(`k=${kvValue(s)}`)).toEqual([['k', s]]);
    }
  });
});

describe('kvKey', () => {
  for (const [key, written] of [
    ['plain', 'plain'],
    ['two words', 'two_words'],
    ['a=b', 'a_b'],
    ['q"k', 'q_k'],
    ['', '_'],
    ['tab\there', 'tab\\there'],
    ['esc\x1b', 'esc\\x1b'],
  ] as const) {
    it(`writes key ${JSON.stringify(key)} as ${written}`, () => {
      expect(kvKey(key)).toBe(written);
    });
  }
});

describe('textValue (plain-text values)', () => {
  it('writes objects and arrays as bare JSON and strings like kvValue', () => {
    expect(textValue({ a: 'b c' })).toBe('{"a":"b c"}');
    expect(textValue([1, 'x'])).toBe('[1,"x"]');
    expect(textValue('two words')).toBe('"two words"');
    expect(textValue(null)).toBe('null');
  });
});

describe('kvFields', () => {
  it('writes " k=v" pairs, skipping undefined values', () => {
    expect(kvFields({ a: 1, b: undefined, c: 'x y' })).toBe(' a=1 c="x y"');
  });

  it('writes nothing for undefined or empty fields', () => {
    expect(kvFields(undefined)).toBe('');
    expect(kvFields({})).toBe('');
  });

  it('writes own keys only, as JSON does, not inherited enumerable ones', () => {
    const fields = Object.create({ inherited: 'secret' }) as Record<string, unknown>;
    fields.own = 1;
    expect(kvFields(fields)).toBe(' own=1');
  });
});
