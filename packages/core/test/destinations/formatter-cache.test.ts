import { afterEach, describe, expect, it, vi } from 'vitest';
import { HydraLogger } from '../../src/index.js';

const ESC = String.fromCharCode(27);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('formatters shared within a pipeline', () => {
  it('10,000 coloured layers: building the pipeline serializes about the config once, not the layer colours once per destination', async () => {
    const layers: Record<string, unknown> = {};
    const colors = ['red', 'green', 'blue', 'magenta', 'cyan'];
    for (let i = 0; i < 9_999; i++)
      layers[`L${i}`] = {
        color: colors[i % colors.length],
        destinations: [{ type: 'memory', name: `m${i}`, format: 'plain-text', colorMode: 'always' }],
      };
    layers.DEFAULT = { destinations: [{ type: 'null' }] };
    const configSize = JSON.stringify(layers).length;
    const stringify = JSON.stringify;
    let serialized = 0;
    vi.spyOn(JSON, 'stringify').mockImplementation((...args: Parameters<typeof JSON.stringify>) => {
      const out = stringify(...args);
      serialized += out?.length ?? 0;
      return out;
    });
    const logger = new HydraLogger({ config: { layers } as never });
    vi.restoreAllMocks();
    // Keyed by the whole layerColors table, each of the 10,000 destinations serialized it (~2 GB).
    expect(serialized).toBeLessThan(10 * configSize);

    // The layer colours still reach the lines.
    logger.info('L1', 'one');
    logger.info('L3', 'three');
    const line1 = logger.memory('m1')?.lines()[0] ?? '';
    const line3 = logger.memory('m3')?.lines()[0] ?? '';
    expect(line1).toContain(`${ESC}[32m`); // green
    expect(line1).toContain('one');
    expect(line3).toContain(`${ESC}[35m`); // magenta
    expect(line3).toContain('three');
    await logger.close();
  });
});
