// Secrets redacted by default, threat detection, security/audit/compliance logs, the audit chain.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataHasher, DataSanitizer, HydraLogger, SecurityValidator, verifyAuditChain } from 'hydra-logger';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-example-'));
const auditFile = path.join(dir, 'audit.log');
const logger = new HydraLogger({
  enableSecurity: true,
  config: {
    layers: {
      DEFAULT: { destinations: [{ type: 'memory', name: 'out' }] },
      AUDIT: { destinations: [{ type: 'file', path: auditFile, format: 'json' }] },
    },
  },
});
logger.info('AUTH', 'Login attempt', { email: 'user@example.com', password: 'secret123' });
logger.info('API', "search for ' OR 1=1 --");
logger.security('SECURITY', 'Suspicious activity detected', { ip: '203.0.113.9' });
logger.audit('AUDIT', 'User action logged', { action: 'delete', token: 'tok_live_123' });
logger.audit('Second audit record');
logger.compliance('COMPLIANCE', 'GDPR compliance check');

const out = logger.memory('out')?.lines().join('\n') ?? '';
for (const secret of ['user@example.com', 'secret123'])
  if (out.includes(secret)) throw new Error(`leaked ${secret}`);
if (!out.includes('"threats"')) throw new Error('threat not tagged');
await logger.close();

const chain = await verifyAuditChain(auditFile);
if (!chain.ok || chain.records !== 2) throw new Error(`audit chain: ${JSON.stringify(chain)}`);
if (fs.readFileSync(auditFile, 'utf8').includes('tok_live_123')) throw new Error('audit leaked a token');

// The building blocks, standalone
const sanitizer = new DataSanitizer();
const clean = sanitizer.sanitize({ apiKey: 'k', note: 'card 4111 1111 1111 1111' }) as Record<string, string>;
if (clean.apiKey !== '[REDACTED]' || clean.note !== 'card [REDACTED_CREDIT_CARD]')
  throw new Error(JSON.stringify(clean));
if (new SecurityValidator().validateInput('<script>alert(1)</script>').threats.length === 0)
  throw new Error('xss');
const hasher = new DataHasher();
if (!hasher.verifyHash('alice', hasher.hashData('alice'))) throw new Error('hash');
fs.rmSync(dir, { recursive: true });
console.log('example ok: security');
