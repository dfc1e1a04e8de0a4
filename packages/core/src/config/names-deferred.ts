/**
 * While > 0, destination types and format names are not checked by validation: the logger checks
 * them again once its plugins are loaded. Kept apart from config/validate.ts (loaded on first use,
 * in the config chunk) so that a logger without a config never loads the validator.
 */
let deferred = 0;

/** True while {@link withPluginNamesDeferred} runs. */
export const namesDeferred = (): boolean => deferred > 0;

/** Runs `fn` (which validates) accepting any destination type and format name. Internal: used by the plugin host. */
export function withPluginNamesDeferred<T>(fn: () => T): T {
  deferred++;
  try {
    return fn();
  } finally {
    deferred--;
  }
}
