/**
 * The config chunk: the validator of configurations (config/validate.ts). Loaded the first time a
 * logger has a configuration to check (internal/load-config.ts); a zero-config logger never loads it.
 */
export { checkConfigNames, validateConfig } from '../config/validate.js';
