import { loadNetworkChunk } from '../internal/load-network.js';
import { loadStreamChunk } from '../internal/load-stream.js';
import { consoleType } from './console.js';
import { fileType } from './file.js';
import { memoryType } from './memory.js';
import { nullType } from './null.js';
import type { DestinationType, OptionCheck } from './type.js';

/**
 * The destination types, by `type`. Adding one is one file (its options with their checks, what its
 * keys mean on other types, its constructor; see destinations/type.ts) and one line here: config
 * validation (config/validate.ts) and destinations/index.ts read only this table.
 */
const TYPES = new Map<string, DestinationType>(
  [consoleType, fileType, memoryType, nullType].map((t) => [t.name, t]),
);

/** The keys every network type takes besides its own (destinations/delivery-options.ts checks them). */
const DELIVERY_KEYS = ['tls', 'maxQueueBytes', 'batch', 'retry', 'timeoutMs', 'spool'];

/**
 * Types whose code lives in a chunk, loaded the first time a config names one (a program that uses
 * none pays nothing for them at startup). Their name and keys are listed here, so that validation
 * knows every key and says which types take it without loading anything; `load` returns the type
 * itself (its file is exported by the chunk; test/destinations/lazy-types.test.ts checks that the
 * keys and `elsewhere` listed here are exactly its own). A network type: one file in destinations/,
 * exported from chunks/network.ts, one entry here.
 */
const LAZY_TYPES = new Map<
  string,
  { keys: readonly string[]; elsewhere?: Readonly<Record<string, OptionCheck>>; load: () => DestinationType }
>([
  [
    'stream',
    {
      keys: ['stream', 'maxBufferedBytes'],
      // A console's `stream` is checked by the console type; other types ignore the key, as before the registry.
      elsewhere: { stream: () => {} },
      load: () => loadStreamChunk().streamType,
    },
  ],
  [
    'http',
    {
      keys: ['url', 'method', 'headers', 'body', 'compress', ...DELIVERY_KEYS],
      load: () => loadNetworkChunk().httpType,
    },
  ],
  [
    'otlp',
    {
      keys: ['endpoint', 'headers', 'resource', 'compress', ...DELIVERY_KEYS],
      load: () => loadNetworkChunk().otlpType,
    },
  ],
  ['otel', { keys: [], load: () => loadNetworkChunk().otelType }],
  [
    'syslog',
    {
      keys: ['host', 'port', 'protocol', 'framing', ...DELIVERY_KEYS],
      load: () => loadNetworkChunk().syslogType,
    },
  ],
  [
    'gelf',
    {
      keys: ['host', 'port', 'protocol', 'compress', 'chunkSize', ...DELIVERY_KEYS],
      load: () => loadNetworkChunk().gelfType,
    },
  ],
]);

/** What validation needs of every type without loading it: its name, its keys, what they mean elsewhere. */
export interface TypeSummary {
  readonly name: string;
  readonly keys: readonly string[];
  readonly elsewhere?: Readonly<Record<string, OptionCheck>> | undefined;
}

/** The built-in type of that name (loading its chunk if it lives in one), or `undefined` (a plugin's type, or none). */
export function destinationType(name: unknown): DestinationType | undefined {
  if (typeof name !== 'string') return undefined;
  const t = TYPES.get(name);
  if (t !== undefined) return t;
  const lazy = LAZY_TYPES.get(name);
  if (lazy === undefined) return undefined;
  const loaded = lazy.load();
  TYPES.set(name, loaded);
  return loaded;
}

/** Every built-in type's summary, in registry order (a type still in its chunk is not loaded). */
export function destinationTypes(): TypeSummary[] {
  const out: TypeSummary[] = [];
  for (const t of TYPES.values())
    if (!LAZY_TYPES.has(t.name))
      out.push({ name: t.name, keys: Object.keys(t.options), elsewhere: t.elsewhere });
  for (const [name, lazy] of LAZY_TYPES) out.push({ name, keys: lazy.keys, elsewhere: lazy.elsewhere });
  return out;
}

/** The types that live in a chunk, with the keys listed for them (internal: a test compares them with the loaded types). */
export const lazyDestinationTypes = (): TypeSummary[] =>
  [...LAZY_TYPES].map(([name, l]) => ({ name, keys: l.keys, elsewhere: l.elsewhere }));

/**
 * Adds a type to the table (internal: tests register a throwaway type through it, the way a new
 * built-in file is listed above). Returns a function that removes it again.
 */
export function registerDestinationType(t: DestinationType): () => void {
  if (TYPES.has(t.name)) throw new Error(`destination type "${t.name}" is already registered`);
  TYPES.set(t.name, t);
  return () => {
    TYPES.delete(t.name);
  };
}
