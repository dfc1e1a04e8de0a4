/**
 * Signatures of attack payloads in logged text (threat detection, docs/security.md). They look for the
 * syntax an attack needs (a quote closing a string before `OR`, a tag opening a script, two
 * `../` in a row), not for words, so ordinary sentences with "select", "drop", "update", "or",
 * apostrophes, URLs and paths are not flagged (test/security/security-validator.test.ts holds a
 * list of such sentences). Like every regex we ship, each one is linear-time (redos.test.ts).
 */

export type ThreatType =
  | 'sql_injection'
  | 'nosql_injection'
  | 'xss'
  | 'path_traversal'
  | 'command_injection'
  | 'ldap_injection';

export type ThreatSeverity = 'low' | 'medium' | 'high' | 'critical';

export interface ThreatPattern {
  /** Unique name, reported as `pattern` in a threat. */
  readonly name: string;
  readonly type: ThreatType;
  readonly severity: ThreatSeverity;
  /** Tested (not global), so it carries no state between calls. */
  readonly regex: RegExp;
}

const pattern = (name: string, type: ThreatType, severity: ThreatSeverity, regex: RegExp): ThreatPattern =>
  Object.freeze({ name, type, severity, regex });

export const THREAT_PATTERNS: readonly ThreatPattern[] = Object.freeze([
  // SQL: a quote closing the string, then OR/AND and a comparison: ' OR 1=1, ' or 'a'='a
  pattern(
    'sql_tautology',
    'sql_injection',
    'critical',
    /['"`][ \t]{0,8}\)?[ \t]{0,8}(?:or|and)[ \t]{1,8}\(?[ \t]{0,8}['"]?[\w-]{0,32}['"]?[ \t]{0,8}(?:=|<>|!=|<|>|like\b)/i,
  ),
  pattern(
    'sql_numeric_tautology',
    'sql_injection',
    'high',
    /\b(?:or|and)[ \t]{1,8}(\d{1,10})[ \t]{0,8}=[ \t]{0,8}\1(?!\d)/i,
  ),
  pattern('sql_union_select', 'sql_injection', 'high', /\bunion[ \t]{1,8}(?:all[ \t]{1,8})?select\b/i),
  pattern(
    'sql_stacked_ddl',
    'sql_injection',
    'critical',
    /;[ \t]{0,8}(?:(?:drop|truncate|alter)[ \t]{1,8}(?:table|database|schema|user|index|view)\b|shutdown\b|exec(?:ute)?[ \t]{1,8}(?:xp|sp)_)/i,
  ),
  pattern(
    'sql_stacked_dml',
    'sql_injection',
    'high',
    /['")][ \t]{0,8};[ \t]{0,8}(?:delete[ \t]{1,8}from|insert[ \t]{1,8}into|update[ \t]{1,8}\w{1,64}[ \t]{1,8}set|select[ \t])/i,
  ),
  pattern('sql_comment_terminator', 'sql_injection', 'medium', /\w['"]\)?;?--/),
  pattern(
    'sql_time_delay',
    'sql_injection',
    'high',
    /(?:['";]|\b(?:or|and|select))[ \t]{0,8}(?:sleep|pg_sleep|benchmark)[ \t]{0,4}\(|\bwaitfor[ \t]{1,8}delay[ \t]{1,8}['"]/i,
  ),
  pattern(
    'sql_dangerous_function',
    'sql_injection',
    'critical',
    /\bxp_cmdshell\b|\bload_file[ \t]{0,4}\(|\binto[ \t]{1,8}(?:out|dump)file\b/i,
  ),
  pattern(
    'sql_schema_probe',
    'sql_injection',
    'medium',
    /\binformation_schema\b|@@version\b|\bpg_catalog\b|\bsysobjects\b/i,
  ),
  // NoSQL: query operators where a value was expected ({"$ne": null}, user[$ne]=x).
  pattern(
    'nosql_code_execution',
    'nosql_injection',
    'critical',
    /(?<![\w$])\$(?:where|function|accumulator)\b/,
  ),
  pattern(
    'nosql_operator',
    'nosql_injection',
    'high',
    /(?<![\w$])\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|exists|elemMatch|expr|or|and|nor|not|size|type|jsonSchema)["']?[ \t]{0,4}[:\]]/,
  ),
  // XSS
  pattern('xss_script_tag', 'xss', 'high', /<[ \t]{0,4}\/?[ \t]{0,4}script\b/i),
  pattern('xss_event_handler', 'xss', 'high', /<[a-z][^>]{0,256}?[\s"'/]on[a-z]{3,24}[ \t]{0,4}=/i),
  pattern(
    'xss_script_uri',
    'xss',
    'high',
    /\b(?:javascript|vbscript)[ \t]{0,4}:(?![ \t])|\bdata:text\/html\b/i,
  ),
  pattern(
    'xss_dangerous_tag',
    'xss',
    'medium',
    /<[ \t]{0,4}(?:iframe|object|embed|applet|meta|base|svg|math)\b/i,
  ),
  pattern(
    'xss_dom_sink',
    'xss',
    'medium',
    /\bdocument\.(?:cookie|write|domain)\b|\.innerHTML[ \t]{0,4}=|\bString\.fromCharCode[ \t]{0,4}\(|\beval[ \t]{0,4}\(/i,
  ),
  // Path traversal
  pattern(
    'path_traversal_sensitive_file',
    'path_traversal',
    'critical',
    /(?:\.\.[/\\]){1,16}(?:etc[/\\](?:passwd|shadow|group|hosts)|proc[/\\]self|windows[/\\](?:win\.ini|system32)|boot\.ini|\.ssh[/\\]|\.env\b)/i,
  ),
  pattern('path_traversal_repeated', 'path_traversal', 'high', /(?:\.\.[/\\]){2}/),
  pattern('path_traversal_embedded', 'path_traversal', 'medium', /[/\\]\.\.[/\\]/),
  pattern(
    'path_traversal_encoded',
    'path_traversal',
    'high',
    /(?:%2e|\.){2}(?:%2f|%5c)|%2e%2e[/\\]|%c0%ae|%252e%252e/i,
  ),
  pattern('path_null_byte', 'path_traversal', 'medium', /%00|\u0000/),
  // Command injection: a shell separator followed by a command that attackers run.
  pattern(
    'command_rm',
    'command_injection',
    'critical',
    /(?:[;&|`\n]|\$\()[ \t]{0,8}(?:sudo[ \t]{1,8})?rm[ \t]{1,8}-[a-z]{0,8}[rf]/i,
  ),
  pattern('command_pipe_to_shell', 'command_injection', 'critical', /\|[ \t]{0,8}(?:ba|z|k|c|da)?sh\b(?!\.)/),
  pattern(
    'command_chained',
    'command_injection',
    'high',
    /(?:[;&|`]|\$\()[ \t]{0,8}(?:cat[ \t]{1,8}\/etc\/|curl[ \t]|wget[ \t]|nc[ \t]{1,8}-[a-z]|ncat\b|bash[ \t]{1,8}-[ic]|sh[ \t]{1,8}-c\b|chmod[ \t]{1,8}[0-7+]|whoami\b|uname[ \t]{1,8}-a|powershell\b|cmd(?:\.exe)?[ \t]{1,8}\/c|python[23]?[ \t]{1,8}-c|perl[ \t]{1,8}-e|nslookup[ \t])/i,
  ),
  pattern(
    'command_substitution',
    'command_injection',
    'high',
    /\$\([ \t]{0,8}(?:id|whoami|uname|cat|ls|curl|wget|nc|sh|bash|echo|printenv|env|rm|sleep|ping)\b[^)]{0,200}\)|`[ \t]{0,8}(?:id|whoami|uname|cat|ls|curl|wget|nc|sh|bash|printenv|env|rm|sleep|ping)\b[^`]{0,200}`/i,
  ),
  // LDAP: closing a filter and opening another: *)(uid=*))(|(uid=*
  pattern(
    'ldap_filter_breakout',
    'ldap_injection',
    'high',
    /\*[ \t]{0,4}\)[ \t]{0,4}\([ \t]{0,4}[|&!]?[ \t]{0,4}[\w-]{1,64}[ \t]{0,4}[=~<>]/,
  ),
  pattern('ldap_or_injection', 'ldap_injection', 'high', /\)[ \t]{0,4}\([ \t]{0,4}[|&][ \t]{0,4}\(/),
  pattern(
    'ldap_wildcard_filter',
    'ldap_injection',
    'medium',
    /\([ \t]{0,4}[\w-]{1,64}[ \t]{0,4}=[ \t]{0,4}\*[ \t]{0,4}\)/,
  ),
]);
