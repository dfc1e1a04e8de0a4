/** Formatting defaults for every destination, at the top level of a config. */
export const FORMATTING_KEYS = ['dateFormat', 'timeFormat', 'loggerNameFormat', 'messageFormat'] as const;
/** The security keys of a config (redaction, threats, pseudonymization, environment detection). */
export const SECURITY_KEYS = [
  'enableSanitization',
  'enableSecurity',
  'threatPolicy',
  'redaction',
  'pseudonymize',
  'detectEnvironment',
] as const;
