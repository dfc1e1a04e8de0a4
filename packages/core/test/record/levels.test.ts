import { describe, expect, it } from 'vitest';
import { levelName, parseLevel } from '../../src/index.js';

describe('levels', () => {
  it.each([
    ['info', 20],
    ['INFO', 20],
    ['Warning', 30],
    ['warn', 30],
    ['FATAL', 50],
    ['critical', 50],
    ['trace', 5],
    ['notset', 0],
    [' debug ', 10],
    [25, 25],
  ])('parses %j as %d', (input, n) => {
    expect(parseLevel(input)).toBe(n);
  });

  it.each([['verbose'], [''], [-1], [1.5], [null], [{}]])('rejects %j', (input) => {
    expect(parseLevel(input)).toBeUndefined();
  });

  it('names numbers, rounding down between levels', () => {
    expect(levelName(20)).toBe('INFO');
    expect(levelName(25)).toBe('INFO');
    expect(levelName(55)).toBe('CRITICAL');
    expect(levelName(3)).toBe('NOTSET');
  });
});
