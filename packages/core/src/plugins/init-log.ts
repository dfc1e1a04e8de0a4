import { type LevelInput, parseLevel } from '../record/levels.js';
import type { Fields } from '../record/record.js';
import type { HookCalls } from './hook-calls.js';
import { PluginError } from './plugin-error.js';
import { describe } from './verdicts.js';

/** Records a plugin may log from `init` while the logger is being built; they are written right after. */
const MAX_PENDING_LOGS = 1000;

/** `context.log` of a plugin's `init`: straight to the logger, or held until the logger's constructor returns. */
export class InitLog {
  #pending: [number, string, string, Fields | undefined][] = [];
  constructor(
    private readonly opts: {
      ready(): boolean;
      log(level: number, layer: string, message: string, fields: Fields | undefined): void;
      drop(reason: string): void;
    },
    private readonly calls: HookCalls,
  ) {}

  log(level: LevelInput, layer: string, message: string, fields: Fields | undefined): void {
    const n = parseLevel(level);
    if (n === undefined)
      throw new PluginError(
        'HYDRA_E_PLUGIN_INVALID',
        layer,
        `context.log: ${describe(level)} is not a level`,
      );
    if (this.opts.ready()) {
      this.opts.log(n, layer, message, fields);
      return;
    }
    // The constructor is still building the pipeline: write these right after it returns.
    if (this.#pending.length >= MAX_PENDING_LOGS) {
      this.opts.drop('plugin_init_overflow');
      return;
    }
    this.#pending.push([n, layer, message, fields]);
    if (this.#pending.length === 1)
      queueMicrotask(() => {
        const pending = this.#pending;
        this.#pending = [];
        if (!this.opts.ready()) return;
        // Logged from inside init(): like any record logged from a hook, they skip the plugin stage.
        this.calls.inside(() => {
          for (const args of pending) this.opts.log(...args);
        });
      });
  }
}
