#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { escapeText } from 'hydra-logger';
import { type CommandSpec, helpText, type ParsedArgs, parseArgs, UsageError } from './args.js';
import { checkConfigSpec, runCheckConfig } from './check-config.js';
import { demoSpec, runDemo } from './demo.js';
import { prettySpec, runPretty } from './pretty.js';
import { runServe, serveSpec } from './serve.js';
import { runTail, tailSpec } from './tail.js';
import { runVerifyAudit, verifyAuditSpec } from './verify-audit.js';

/**
 * `hydra <command> …`: one file per command; this file only dispatches.
 * Exit codes everywhere: 0 success, 1 the work failed (invalid config, broken chain, unreadable
 * file), 2 bad usage (unknown command or flag, a flag value that is not what it expects).
 */
const COMMANDS: ReadonlyMap<string, { spec: CommandSpec; run(args: ParsedArgs): number | Promise<number> }> =
  new Map([
    ['pretty', { spec: prettySpec, run: runPretty }],
    ['tail', { spec: tailSpec, run: runTail }],
    ['serve', { spec: serveSpec, run: runServe }],
    ['check-config', { spec: checkConfigSpec, run: runCheckConfig }],
    ['verify-audit', { spec: verifyAuditSpec, run: runVerifyAudit }],
    ['demo', { spec: demoSpec, run: runDemo }],
  ]);

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function usage(): string {
  const rows = [...COMMANDS.values()].map(({ spec }) => `  ${spec.name.padEnd(14)} ${spec.short}`);
  return `Usage: hydra <command> [options]   (hydra <command> --help for its options)\n\nCommands:\n${rows.join('\n')}\n\n  --version    print the version\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = COMMANDS.get(name);
  if (command === undefined) {
    process.stderr.write(`hydra: unknown command ${JSON.stringify(escapeText(name))}\n\n${usage()}`);
    return 2;
  }
  try {
    const args = parseArgs(command.spec, rest);
    if (args.switches.has('help')) {
      process.stdout.write(helpText(command.spec));
      return 0;
    }
    return await command.run(args);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`hydra ${name}: ${escapeText(err.message)}\n(hydra ${name} --help for usage)\n`);
      return 2;
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR') {
      process.stderr.write(`hydra ${name}: cannot read ${escapeText(e.path ?? '')}: ${e.code}\n`);
      return 1;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // `tail -f` and `serve` leave no handles behind once stopped; anything else would be a bug,
    // but a command that is done must not hang: exit once stdout has been handed over.
    if (process.stdout.writableLength === 0) process.exit(code);
    else process.stdout.once('drain', () => process.exit(code));
  },
  (err: Error) => {
    process.stderr.write(`hydra: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
