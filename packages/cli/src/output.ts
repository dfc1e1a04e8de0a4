import type { Writable } from 'node:stream';

/**
 * Text to stdout with backpressure: `write` resolves at once while the pipe keeps up, and waits
 * for `drain` when it does not, so a slow reader (`| less`) slows the reading instead of growing
 * memory. A closed reader (`| head`) ends the program quietly with exit code 0.
 */
export class Output {
  readonly #out: Writable;

  constructor(out: Writable = process.stdout) {
    this.#out = out;
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      process.stderr.write(`hydra: cannot write output: ${err.message}\n`);
      process.exit(1);
    });
  }

  /** Writes `text`; the promise settles when more may be written. */
  write(text: string): Promise<void> | undefined {
    if (text === '' || this.#out.write(text)) return undefined;
    return new Promise((resolve) => this.#out.once('drain', resolve));
  }

  /** Resolves when everything written so far has been handed to the OS. */
  flush(): Promise<void> {
    return new Promise((resolve) => this.#out.write('', () => resolve()));
  }
}
