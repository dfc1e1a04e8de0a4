import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AsyncHydraLogger,
  type DataSanitizer,
  type Fields,
  HydraLogger,
  type HydraLoggerOptions,
  type LogDestination,
  type LoggingConfig,
  type MagicConfigName,
  type MemoryView,
  type PerformanceMetrics,
  type Plugin,
  type PluginInsights,
} from '../../src/index.js';

/**
 * The parity suite: every test in test/parity/ runs once per logger below, by the same
 * code, and checks real output. A log call is awaited whatever it returns (HydraLogger: nothing;
 * AsyncHydraLogger: a promise), so the same line of test reads "log, then the line is there".
 */

/** The surface both loggers share, as the tests use it (methods: bivariant, so both classes fit). */
export interface ParityLogger {
  trace(...args: unknown[]): unknown;
  debug(...args: unknown[]): unknown;
  info(...args: unknown[]): unknown;
  warning(...args: unknown[]): unknown;
  warn(...args: unknown[]): unknown;
  error(...args: unknown[]): unknown;
  critical(...args: unknown[]): unknown;
  fatal(...args: unknown[]): unknown;
  security(...args: unknown[]): unknown;
  audit(...args: unknown[]): unknown;
  compliance(...args: unknown[]): unknown;
  child(bindings: Fields): ParityLogger;
  layer(name: string): ParityLayerLogger;
  runWithContext<T>(context: Fields, fn: () => T): T;
  isLevelEnabled(level: string, layer?: string): boolean;
  updateConfig(config: LoggingConfig | string): Promise<void>;
  readonly sanitizer: DataSanitizer;
  addPlugin(name: string, plugin: Plugin): unknown;
  removePlugin(name: string): boolean;
  getPluginInsights(): Record<string, PluginInsights>;
  getPerformanceMetrics(): PerformanceMetrics;
  memory(name?: string): MemoryView | undefined;
  on(event: 'error', listener: (err: Error) => void): unknown;
  flush(): Promise<void>;
  flushSync(): void;
  reopen(): void;
  close(): Promise<void>;
}

export interface ParityLayerLogger {
  readonly name: string;
  info(...args: unknown[]): unknown;
  warn(...args: unknown[]): unknown;
  error(...args: unknown[]): unknown;
  debug(...args: unknown[]): unknown;
  child(bindings: Fields): ParityLayerLogger;
  isLevelEnabled(level: string): boolean;
  close(): void;
}

export interface LoggerKind {
  readonly name: 'HydraLogger' | 'AsyncHydraLogger';
  readonly Class: typeof HydraLogger | typeof AsyncHydraLogger;
  create(options?: HydraLoggerOptions): ParityLogger;
  forMagic(name: MagicConfigName, options?: Omit<HydraLoggerOptions, 'config'>): ParityLogger;
}

export const LOGGERS: readonly LoggerKind[] = [
  {
    name: 'HydraLogger',
    Class: HydraLogger,
    create: (options) => new HydraLogger(options) as unknown as ParityLogger,
    forMagic: (name, options) => HydraLogger.forMagic(name, options) as unknown as ParityLogger,
  },
  {
    name: 'AsyncHydraLogger',
    Class: AsyncHydraLogger,
    create: (options) => new AsyncHydraLogger(options) as unknown as ParityLogger,
    forMagic: (name, options) => AsyncHydraLogger.forMagic(name, options) as unknown as ParityLogger,
  },
];

export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-parity-'));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** The lines of a file (without the final newline); `[]` when it does not exist. */
export function fileLines(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

export function jsonLines(file: string): Record<string, unknown>[] {
  return fileLines(file).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Config whose DEFAULT layer (every undeclared layer too) writes only to `destination`. */
export function only(destination: LogDestination, extra: Partial<LoggingConfig> = {}): LoggingConfig {
  return { ...extra, layers: { DEFAULT: { destinations: [destination] } } };
}

/** A memory destination in JSON; its records as objects. */
export function memoryRecords(logger: ParityLogger, name?: string): Record<string, unknown>[] {
  return (logger.memory(name)?.lines() ?? []).map((l) => JSON.parse(l) as Record<string, unknown>);
}
