import type { Checker } from '../config/checker.js';
import type { Formatter } from '../formats/formatter.js';
import type { RotationPolicy } from '../writers/rotation.js';
import type { DestinationContext } from './context.js';
import type { Destination } from './destination.js';

/** A destination's config after validation: `type`, the common keys, and the type's own keys. */
export type DestinationConfig = { type: string } & Record<string, unknown>;

/** Checks one option value; `d` is the whole destination (for rules across keys). */
export type OptionCheck = (v: unknown, at: string, c: Checker, d: Record<string, unknown>) => void;

/** The descriptor a destination writes, for the AsyncHydraLogger's queue lane that writes it instead. */
export interface FdTarget {
  target: { fd: number } | { file: string };
  /** Opens (or returns) the descriptor; called lazily, on the first write. */
  open(): number;
  ownsFd: boolean;
  formatter: Formatter;
  rotation?: RotationPolicy | undefined;
}

/**
 * One destination type: everything about it in one place (destinations/registry.ts lists them).
 * config/validate.ts checks a destination with `options` and `elsewhere`; destinations/index.ts
 * builds it with `fdTarget` or `create`.
 */
export interface DestinationType {
  /** The `type` value in config. */
  readonly name: string;
  /** The keys this type takes besides the common ones, each with its check, in the order they are checked. */
  readonly options: Readonly<Record<string, OptionCheck>>;
  /** Checks across its keys (after each key's own check), e.g. a key that needs another. */
  check?(d: Record<string, unknown>, at: string, c: Checker): void;
  /**
   * What one of its keys does on a destination of another type (default: refused, naming the types
   * that take it). Keys that older configs put anywhere are checked and ignored there.
   */
  readonly elsewhere?: Readonly<Record<string, OptionCheck>>;
  /**
   * Set when the destination writes a file descriptor (console, file): an AsyncHydraLogger then
   * writes it through a lane of its queue (src/async/) instead of {@link create}'s writer.
   */
  fdTarget?(d: DestinationConfig, ctx: DestinationContext, id: string): FdTarget;
  /** Builds the destination from validated config (nothing is opened here). */
  create(d: DestinationConfig, ctx: DestinationContext, id: string, minLevel: number): Destination;
}
