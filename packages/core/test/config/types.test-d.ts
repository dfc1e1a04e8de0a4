// Type-level tests of the configuration types: checked by `tsc -p packages/core/tsconfig.json`
// (npm run lint), never executed. Each `@ts-expect-error` line must fail to compile (tsc reports an
// unused directive otherwise); every other line must compile.
import { expectTypeOf } from 'vitest';
import {
  AsyncHydraLogger,
  type BuiltinDestinationType,
  type ConsoleDestination,
  type DestinationFormat,
  type FileDestination,
  HydraLogger,
  type LogDestination,
  type LoggingConfig,
  type MagicConfigName,
  type StreamDestination,
} from '../../src/index.js';

// ---- valid configs compile ------------------------------------------------------------------

const valid: LoggingConfig = {
  defaultLevel: 'info',
  consoleFormat: 'logfmt',
  layers: {
    DEFAULT: { destinations: [{ type: 'console' }, { type: 'console', stream: 'stderr', format: 'json' }] },
    APP: {
      level: 'debug',
      destinations: [
        {
          type: 'file',
          path: 'logs/app.log',
          format: 'json',
          mode: 'buffered',
          maxSize: '5MB',
          backupCount: 3,
          rotateInterval: 'daily',
          compress: true,
        },
        { type: 'file', path: 'logs/sync.log', mode: 'sync', fsync: true },
        { type: 'stream', stream: (line: string) => void line, format: 'csv' },
        { type: 'stream', stream: process.stdout, maxBufferedBytes: 1 << 20 },
        { type: 'memory', maxLines: 100, name: 'mem', format: 'plain-text', template: '{level} {message}' },
        { type: 'null' },
        { type: 'console', format: 'syslog', appName: 'shop', facility: 16, rfc: '3164' },
        { type: 'console', format: 'gelf', hostname: 'web-1', mode: 'worker' },
      ],
    },
  },
};
void valid;

// The type narrows on `type`.
const d = {} as LogDestination;
if (d.type === 'file') expectTypeOf(d).toEqualTypeOf<FileDestination>();
if (d.type === 'console') expectTypeOf(d.stream).toEqualTypeOf<'stdout' | 'stderr' | undefined>();
if (d.type === 'stream') expectTypeOf(d).toEqualTypeOf<StreamDestination>();
expectTypeOf<'json'>().toMatchTypeOf<DestinationFormat>();
expectTypeOf<'production' | 'web_app' | 'bare_metal'>().toMatchTypeOf<MagicConfigName>();

// Magic configs by name.
HydraLogger.forMagic('production');
AsyncHydraLogger.forMagic('api_service');

// ---- wrong names and misplaced keys do not ---------------------------------------------------

// @ts-expect-error a misspelt format
const badFormat: LogDestination = { type: 'console', format: 'jsonn' };
// @ts-expect-error a misspelt destination type
const badType: LogDestination = { type: 'consol' };
// @ts-expect-error a console destination takes no path
const consolePath: LogDestination = { type: 'console', path: 'app.log' };
// @ts-expect-error a file destination needs its path
const filePathless: LogDestination = { type: 'file' };
// @ts-expect-error rotation is for files only
const memoryRotation: LogDestination = { type: 'memory', maxSize: '5MB' };
// @ts-expect-error fsync is for files only
const consoleFsync: ConsoleDestination = { type: 'console', fsync: true };
// @ts-expect-error a stream destination needs its stream
const streamless: LogDestination = { type: 'stream' };
// @ts-expect-error a console stream is 'stdout' or 'stderr', not a Writable
const consoleWritable: LogDestination = { type: 'console', stream: process.stdout };
// @ts-expect-error maxLines is for memory destinations
const fileMaxLines: LogDestination = { type: 'file', path: 'a.log', maxLines: 5 };
// @ts-expect-error options are for plugin destinations only
const builtinOptions: LogDestination = { type: 'null', options: { a: 1 } };
// @ts-expect-error mode 'worker' is for console and file destinations
const memoryWorker: LogDestination = { type: 'memory', mode: 'worker' };
// @ts-expect-error an unknown write mode
const badMode: LogDestination = { type: 'file', path: 'a.log', mode: 'async' };
// @ts-expect-error a misspelt console format
const badConsoleFormat: LoggingConfig = { consoleFormat: 'plaintext' };
void [
  badFormat,
  badType,
  consolePath,
  filePathless,
  memoryRotation,
  consoleFsync,
  streamless,
  consoleWritable,
  fileMaxLines,
  builtinOptions,
  memoryWorker,
  badMode,
  badConsoleFormat,
];

// @ts-expect-error a misspelt magic config name
HydraLogger.forMagic('prodution');
// @ts-expect-error a misspelt magic config name (async logger)
AsyncHydraLogger.forMagic('developement');
// @ts-expect-error a name registered at run time but not declared in HydraMagicConfigs
HydraLogger.forMagic('my_unregistered_app');

// ---- names that plugins add are declared by augmentation ------------------------------------

// test/plugins/plugin-names.ts declares `sink` (options `{ url?: string }`) and the format `pipe`
// for the plugin tests, as a user declares the names of the plugins they use.
const plugin: LogDestination = { type: 'sink', format: 'pipe', options: { url: 'x' } };
void plugin;
// @ts-expect-error the options of a declared plugin type are checked
const pluginBadOptions: LogDestination = { type: 'sink', options: { url: 1 } };
// @ts-expect-error a plugin destination takes no path
const pluginPath: LogDestination = { type: 'sink', path: 'x' };
void [pluginBadOptions, pluginPath];

// ---- the table the config types are computed from ---------------------------------------------

// Every built-in type has its options in DestinationTypeOptions (test/destinations/lazy-types.test.ts
// checks the same names against the runtime registry).
expectTypeOf<BuiltinDestinationType>().toEqualTypeOf<
  'console' | 'file' | 'stream' | 'memory' | 'null' | 'syslog' | 'gelf' | 'http' | 'otlp' | 'otel'
>();
const network: LogDestination[] = [
  {
    type: 'syslog',
    host: 'logs.internal',
    port: 6514,
    protocol: 'tls',
    framing: 'octet-counting',
    appName: 'shop',
  },
  { type: 'gelf', protocol: 'udp', chunkSize: 8192, compress: 'gzip' },
  { type: 'http', url: 'https://intake.example/logs', batch: { maxRecords: 500 }, retry: { maxAttempts: 5 } },
  { type: 'otlp', resource: { 'service.name': 'shop' }, spool: { dir: '/var/spool/hydra' } },
  { type: 'otel' },
];
void network;
// @ts-expect-error an http destination needs its url
const urlless: LogDestination = { type: 'http' };
// @ts-expect-error a gelf compress is 'gzip' or 'none' (a file's is a boolean)
const gelfCompress: LogDestination = { type: 'gelf', compress: true };
// @ts-expect-error url is for http destinations
const fileUrl: LogDestination = { type: 'file', path: 'a.log', url: 'http://x' };
void [urlless, gelfCompress, fileUrl];
