import { ConfigFileError } from '../errors.js';
import { fs, nodeRequire, path } from '../internal/builtins.js';
import { loadConfigChunk } from '../internal/load-config.js';
import { mergeConfigs } from './merge.js';
import type { LoggingConfig } from './types.js';

// Parsers are loaded on first use only: a logger that never reads YAML or TOML never pays for them.
let yamlParse: ((text: string) => unknown) | undefined;
let tomlParse: ((text: string) => unknown) | undefined;

function parse(file: string, text: string): unknown {
  const ext = path.extname(file).toLowerCase();
  switch (ext) {
    case '.yaml':
    case '.yml':
      yamlParse ??= (nodeRequire('yaml') as { parse: (t: string) => unknown }).parse;
      return yamlParse(text);
    case '.toml':
      tomlParse ??= (nodeRequire('smol-toml') as { parse: (t: string) => unknown }).parse;
      return tomlParse(text);
    case '.json':
      return JSON.parse(text);
    default:
      throw new ConfigFileError(file, `unsupported extension "${ext}": expected .yaml, .yml, .toml or .json`);
  }
}

/**
 * Reads one config file and everything it `extends` (a path or a list of paths, relative to the
 * file), merged base first. Returns the raw merged object, not yet validated.
 */
function readWithExtends(file: string, chain: readonly string[]): Record<string, unknown> {
  const abs = path.resolve(file);
  if (chain.includes(abs)) {
    throw new ConfigFileError(
      abs,
      `extends cycle: ${[...chain, abs].map((f) => path.basename(f)).join(' → ')}`,
    );
  }
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const from = chain.length > 0 ? ` (extended by ${chain.at(-1)})` : '';
    throw new ConfigFileError(abs, `cannot read it${from}: ${e.code ?? e.message}`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = parse(abs, text);
  } catch (err) {
    if (err instanceof ConfigFileError) throw err;
    throw new ConfigFileError(abs, `cannot parse it: ${(err as Error).message}`, { cause: err });
  }
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigFileError(abs, 'expected a mapping at the top level');
  const { extends: ext, ...own } = raw as Record<string, unknown>;
  const bases = ext === undefined ? [] : Array.isArray(ext) ? ext : [ext];
  const merged: Record<string, unknown>[] = [];
  for (const [i, base] of bases.entries()) {
    if (typeof base !== 'string' || base === '')
      throw new ConfigFileError(
        abs,
        `extends${Array.isArray(ext) ? `[${i}]` : ''}: expected a file path, got ${JSON.stringify(base)}`,
      );
    merged.push(readWithExtends(path.resolve(path.dirname(abs), base), [...chain, abs]));
  }
  return mergeConfigs(...merged, own);
}

/**
 * Loads a YAML (`.yaml`/`.yml`), TOML or JSON config file, following `extends`, and validates it.
 * Errors name the file, and for schema problems the exact path inside it.
 */
export function loadConfig(file: string): LoggingConfig {
  const raw = readWithExtends(file, []);
  return loadConfigChunk().validateConfig(raw, { source: path.resolve(file) });
}
