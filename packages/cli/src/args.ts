/**
 * Command-line flags: `--name value`, `--name=value`, `-x value`, boolean switches, `--` ends the
 * flags. Every mistake is a {@link UsageError} naming the flag and what it expects (exit code 2).
 */

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface FlagSpec {
  /** Long name without dashes (`level`). */
  name: string;
  /** One-letter alias without the dash (`n`). */
  short?: string;
  /** `switch`: no value; `value`: one value; `list`: every following argument up to the next flag (repeatable). */
  kind: 'switch' | 'value' | 'list';
  /** What the value is, for help and errors (`<level>`). */
  value?: string;
  help: string;
}

export interface CommandSpec {
  name: string;
  /** `hydra pretty [file]` */
  usage: string;
  /** One line for `hydra --help`. */
  short: string;
  summary: string;
  flags: readonly FlagSpec[];
  /** How many positional arguments are accepted. */
  positionals: { min: number; max: number; name: string };
  /** Extra paragraphs after the flags (examples, exit codes). */
  notes?: string;
}

export interface ParsedArgs {
  values: Map<string, string>;
  lists: Map<string, string[]>;
  switches: Set<string>;
  positionals: string[];
}

export const HELP_FLAG: FlagSpec = { name: 'help', short: 'h', kind: 'switch', help: 'show this help' };

export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const flags = [...spec.flags, HELP_FLAG];
  const out: ParsedArgs = { values: new Map(), lists: new Map(), switches: new Set(), positionals: [] };
  const find = (arg: string): FlagSpec | undefined =>
    arg.startsWith('--')
      ? flags.find((f) => f.name === arg.slice(2))
      : flags.find((f) => f.short !== undefined && f.short === arg.slice(1));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const flag = find(name);
    if (flag === undefined)
      throw new UsageError(`unknown flag ${name} (hydra ${spec.name} takes: ${flagList(flags)})`);
    const shown = `--${flag.name}`;
    if (flag.kind === 'switch') {
      if (eq >= 0) throw new UsageError(`${shown} takes no value, got ${JSON.stringify(arg.slice(eq + 1))}`);
      out.switches.add(flag.name);
      continue;
    }
    if (flag.kind === 'value') {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('-') && value !== '-' && !/^-\d/.test(value)))
        throw new UsageError(`${shown} expects ${flag.value ?? 'a value'}`);
      out.values.set(flag.name, value);
      continue;
    }
    const list = out.lists.get(flag.name) ?? [];
    if (eq >= 0) list.push(arg.slice(eq + 1));
    while (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('-')) list.push(argv[++i] as string);
    if (list.length === 0) throw new UsageError(`${shown} expects ${flag.value ?? 'one or more values'}`);
    out.lists.set(flag.name, list);
  }
  if (out.switches.has('help')) return out;
  const { min, max, name } = spec.positionals;
  if (out.positionals.length < min) throw new UsageError(`missing ${name} (usage: ${spec.usage})`);
  if (out.positionals.length > max)
    throw new UsageError(
      `unexpected argument ${JSON.stringify(out.positionals[max])} (usage: ${spec.usage})`,
    );
  return out;
}

function flagList(flags: readonly FlagSpec[]): string {
  return flags.map((f) => `--${f.name}`).join(', ');
}

/** The `--help` text of a command. */
export function helpText(spec: CommandSpec): string {
  const rows = [...spec.flags, HELP_FLAG].map((f) => {
    const names = `${f.short === undefined ? '    ' : `-${f.short}, `}--${f.name}${f.value === undefined ? '' : ` ${f.value}`}`;
    return `  ${names.padEnd(34)} ${f.help}`;
  });
  return `Usage: ${spec.usage}\n\n${spec.summary}\n\nOptions:\n${rows.join('\n')}\n${spec.notes === undefined ? '' : `\n${spec.notes}\n`}`;
}

/** A positive integer flag value (`-n 20`), or a UsageError naming the flag. */
export function positiveInt(
  flag: string,
  value: string | undefined,
  fallback: number,
  allowZero = true,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || (!allowZero && n === 0))
    throw new UsageError(
      `--${flag} expects ${allowZero ? 'a whole number ≥ 0' : 'a whole number ≥ 1'}, got ${JSON.stringify(value)}`,
    );
  return n;
}

/** A comma-separated list flag (`--layer APP,DB`); empty items are an error. */
export function commaList(flag: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === ''))
    throw new UsageError(`--${flag} expects a comma-separated list of names, got ${JSON.stringify(value)}`);
  return items;
}
