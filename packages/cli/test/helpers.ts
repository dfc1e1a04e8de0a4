import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built bin, as npm links it (`npm run build` first). */
export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/bin.js');

if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);

/**
 * The parent's environment without what changes colour or time decisions; UTC for stable times.
 * CI markers go too: Node's colour depth for a terminal is 2 (no colour) under `CI` unless a known
 * CI service is named, so a test run by CI would otherwise see no colour on a pseudo-terminal.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const colourDecisions =
    /^(FORCE_COLOR|NO_COLOR|NODE_DISABLE_COLORS|TERM|TERM_PROGRAM|COLORTERM|CI|CI_NAME|GITHUB_ACTIONS|GITLAB_CI|TRAVIS|CIRCLECI|APPVEYOR|BUILDKITE|DRONE|TEAMCITY_VERSION|HYDRA_.*)$/;
  for (const k of Object.keys(env)) if (colourDecisions.test(k)) delete env[k];
  return { ...env, TZ: 'UTC', ...extra };
}

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `hydra …args` to its end, with `input` on stdin (or stdin closed). */
export function hydra(
  args: readonly string[],
  options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: options.env ?? cleanEnv(),
      cwd: options.cwd,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.on('error', () => {}); // a child that exits before reading all of stdin
    child.stdin.end(options.input ?? '');
  });
}

/** A running `hydra …args` whose output is collected as it comes, for commands that do not end by themselves. */
export class LiveHydra {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: readonly string[], env: NodeJS.ProcessEnv = cleanEnv()) {
    this.child = spawn(process.execPath, [BIN, ...args], { env });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.child.stdin.on('error', () => {});
    this.exited = new Promise((resolve) =>
      this.child.on('close', (code, signal) => resolve({ code, signal })),
    );
  }

  /** Resolves once `test(stdout)` holds; fails (with what was seen) after a generous timeout. */
  waitFor(test: (stdout: string) => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    return waitFor(
      () => test(this.stdout),
      () => `${what}; stdout so far:\n${this.stdout}\nstderr:\n${this.stderr}`,
      timeoutMs,
    );
  }

  /** Like {@link waitFor}, on stderr (notices). */
  waitForStderr(test: (stderr: string) => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    return waitFor(
      () => test(this.stderr),
      () => `${what}; stderr so far:\n${this.stderr}`,
      timeoutMs,
    );
  }

  /** Stops the child (SIGTERM unless told otherwise) and waits for it. */
  async stop(
    signal: NodeJS.Signals = 'SIGTERM',
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** Polls `ok` until it holds; the timeout only turns a hang into a failure, it is not a timing assertion. */
export async function waitFor(ok: () => boolean, describe: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${describe()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix = 'hydra-cli-'): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Strips the ANSI colour codes our renderer adds (to compare text). */
export const stripAnsi = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');
