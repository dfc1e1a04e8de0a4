import { describe, expect, it } from 'vitest';
import { createJsonFormatter, type LogRecord } from '../../src/index.js';
import { memoryLogger } from '../helpers.js';

describe('createJsonFormatter (public)', () => {
  it('formats the record a performance plugin sees exactly as the json destination wrote it', () => {
    const { logger, lines } = memoryLogger();
    const json = createJsonFormatter();
    const seen: string[] = [];
    logger.addPlugin('mirror', {
      sampleEvery: 1,
      onRecord: (record: LogRecord) => {
        seen.push(json.format(record));
      },
    });
    logger.info('APP', 'signed in', { user: 'ann', password: 'hunter2', n: 1 });
    logger.warn('DB', 'slow "query"\nsecond line', { ms: 250, nested: { email: 'ann@example.com' } });
    logger.error('APP', new Error('boom'));
    expect(seen).toEqual(lines().map((l) => `${l}\n`));
    expect(seen.join('')).not.toContain('hunter2');
    expect(seen.join('')).not.toContain('ann@example.com');
    expect(json.name).toBe('json');
  });
});
