import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Path of Debian's `redis-server` (package redis-server, installed by .ci/run), or undefined. */
export function redisServerPath(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/**
 * A real redis-server of its own: 127.0.0.1, a free port, a temporary directory, no persistence
 * (a restart loses the data, as a Redis without persistence does). `kill()` is SIGKILL;
 * `start()` again on the same port.
 */
export class RedisServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'hydra-redis-'));
  port = 0;
  #child: ChildProcess | undefined;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it: on a free port the first time, on the same port again after `kill()`. */
  async start(): Promise<void> {
    const bin = redisServerPath();
    if (bin === undefined) throw new Error('redis-server is not installed (apt-get install redis-server)');
    const restart = this.port !== 0;
    for (let attempt = 0; ; attempt++) {
      if (!restart) this.port = await freePort();
      const child = spawn(
        bin,
        [
          '--port',
          String(this.port),
          '--bind',
          '127.0.0.1',
          '--dir',
          this.dir,
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const up = await new Promise<boolean>((ok) => {
        let out = '';
        const timer = setTimeout(() => ok(false), 15_000);
        child.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('Ready to accept connections')) {
            clearTimeout(timer);
            ok(true);
          }
        });
        child.once('exit', () => {
          clearTimeout(timer);
          ok(false);
        });
      });
      if (up) {
        child.stdout?.resume();
        child.stderr?.resume();
        this.#child = child;
        return;
      }
      child.kill('SIGKILL');
      // Another process took the port between the check and the start: try again.
      if (attempt >= 5) throw new Error(`redis-server did not start on port ${this.port}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** SIGKILL, and waits for the process to be gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGKILL');
    await gone;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
