import { consoleType } from './console.js';
import { fileType } from './file.js';
import { httpType } from './http.js';
import { memoryType } from './memory.js';
import { nullType } from './null.js';
import { streamType } from './stream.js';
import type { DestinationType } from './type.js';

/**
 * The destination types, by `type`. Adding one is one file (its options with their checks, what its
 * keys mean on other types, its constructor; see destinations/type.ts) and one line here: config
 * validation (config/validate.ts) and destinations/index.ts read only this table.
 */
const TYPES = new Map<string, DestinationType>(
  [consoleType, fileType, streamType, memoryType, nullType, httpType].map((t) => [t.name, t]),
);

/** The built-in type of that name, or `undefined` (a plugin's type, or none). */
export const destinationType = (name: unknown): DestinationType | undefined =>
  typeof name === 'string' ? TYPES.get(name) : undefined;

/** Every built-in type, in registry order. */
export const destinationTypes = (): IterableIterator<DestinationType> => TYPES.values();

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
