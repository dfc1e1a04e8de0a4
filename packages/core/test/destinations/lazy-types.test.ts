// Destination types whose code lives in a chunk are listed in destinations/registry.ts with the keys
// they take, so that validating a config that does not use them loads nothing. The lists must be
// exactly the types' options: a key missing from a list would be refused before the type is loaded.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { destinationType, destinationTypes, lazyDestinationTypes } from '../../src/destinations/registry.js';
import { ConfigValidationError, validateConfig } from '../../src/index.js';

describe('types loaded on first use', () => {
  const lazy = lazyDestinationTypes();

  it('the registry names every type the config types know (test/config/types.test-d.ts)', () => {
    expect(
      destinationTypes()
        .map((t) => t.name)
        .sort(),
    ).toEqual(
      ['console', 'file', 'stream', 'memory', 'null', 'syslog', 'gelf', 'http', 'otlp', 'otel'].sort(),
    );
  });

  it('there are some (the network types)', () => {
    expect(lazy.map((t) => t.name)).toEqual(expect.arrayContaining(['stream', 'http']));
  });

  it.each(lazy.map((t) => [t.name, t.keys] as const))('%s: the keys listed are its options', (name, keys) => {
    const loaded = destinationType(name);
    expect(loaded?.name).toBe(name);
    expect([...keys].sort()).toEqual(Object.keys(loaded?.options ?? {}).sort());
    const listed = lazy.find((t) => t.name === name);
    expect(Object.keys(listed?.elsewhere ?? {}).sort()).toEqual(Object.keys(loaded?.elsewhere ?? {}).sort());
    // Once loaded, the summary validation reads still has the same keys.
    expect([...(destinationTypes().find((t) => t.name === name)?.keys ?? [])].sort()).toEqual(
      [...keys].sort(),
    );
  });

  it('a key of a lazy type on another type names the lazy type, and validating never throws anything else', () => {
    let err: unknown;
    try {
      validateConfig({
        layers: { APP: { destinations: [{ type: 'console', url: 'http://127.0.0.1:1/x' }] } },
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigValidationError);
    expect((err as ConfigValidationError).issues[0]?.message).toMatch(/only "http".* destinations take it/);
  });

  it.runIf(existsSync(new URL('../../dist/chunk-network.cjs', import.meta.url)))(
    'the published core bundle holds none of their code (it is in the chunk)',
    () => {
      const core = readFileSync(new URL('../../dist/index.js', import.meta.url), 'utf8');
      for (const { name } of lazy) expect(core).not.toContain(`// dist/destinations/${name}.js`);
      expect(core).not.toMatch(/^\/\/ dist\/delivery\//m);
    },
  );
});
