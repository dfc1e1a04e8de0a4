import type { LoggingConfig } from '../config/types.js';
import type { Limits } from '../internal/limits.js';
import {
  type AuditChainProcessor,
  createAuditChainProcessor,
  GENESIS_HASH,
  readLastAuditHash,
} from '../security/audit-chain.js';
import { createPseudonymizeProcessor } from '../security/data-hasher.js';
import { DataSanitizer } from '../security/data-sanitizer.js';
import { createEnvironmentProcessor, detectEnvironment } from '../security/environment.js';
import { createRedactionProcessor } from '../security/redaction-processor.js';
import { SecurityValidator } from '../security/security-validator.js';
import { createThreatProcessor, type ThreatProcessor } from '../security/threat-processor.js';
import type { Processor } from './processor.js';

/** The layers `security()`, `audit()` and `compliance()` write to by default. */
export const SECURITY_LAYERS = ['SECURITY', 'AUDIT', 'COMPLIANCE'] as const;

/** The processors one configuration asks for, and the parts the metrics read. */
export interface ProcessorChain {
  processors: Processor[];
  sanitizer: DataSanitizer;
  threats: ThreatProcessor | undefined;
}

/** The audit chain outlives configurations: `updateConfig` keeps linking to the last hash. */
export function createAuditChain(cfg: LoggingConfig, key: string | undefined): AuditChainProcessor {
  const file = cfg.layers?.AUDIT?.destinations?.find(
    (d) => d.type === 'file' && (d.format ?? 'json') === 'json',
  )?.path;
  let previousHash = GENESIS_HASH;
  if (file !== undefined) {
    try {
      previousHash = readLastAuditHash(file) ?? GENESIS_HASH;
    } catch {
      // An unreadable file starts a new chain; verifyAuditChain will show where.
    }
  }
  return createAuditChainProcessor({ previousHash, ...(key !== undefined && { key }) });
}

/**
 * Builds the record processors, in order: environment context → pseudonymization → threat
 * detection (before redaction, so a secret-shaped value cannot hide an injection) → redaction
 * (every record, or only the security layers and `security()`/`audit()`/`compliance()` records
 * when `enableSanitization` is false) → the audit chain (last: it hashes the final record).
 * The plugin stage (`plugins`: security plugins, then analytics plugins) sits between redaction and
 * the chain: plugins never see a raw secret, and an audit record they enrich is hashed as written.
 */
export function buildProcessors(
  cfg: LoggingConfig,
  limits: Limits,
  env: NodeJS.ProcessEnv,
  chain: Processor,
  plugins?: Processor,
): ProcessorChain {
  const sanitizer = new DataSanitizer({
    limits: {
      maxStringLength: Math.max(65_600, limits.maxStringLength + 64),
      maxDepth: Math.max(32, limits.maxDepth + 2),
      maxBreadth: Math.max(10_000, limits.maxBreadth + 1),
      maxScanPerRecord: limits.maxScanPerRecord,
    },
  });
  const r = cfg.redaction;
  for (const name of r?.removePatterns ?? []) sanitizer.removePattern(name);
  for (const p of r?.patterns ?? []) sanitizer.addPattern(p.name, p.pattern, p.placeholder);
  for (const k of r?.removeSensitiveKeys ?? []) sanitizer.removeSensitiveKey(k);
  for (const k of r?.sensitiveKeys ?? []) {
    if (typeof k === 'string') sanitizer.addSensitiveKey(k);
    else sanitizer.addSensitiveKey(k.key, k.match);
  }
  const processors: Processor[] = [];
  if (cfg.detectEnvironment === true) processors.push(createEnvironmentProcessor(detectEnvironment({ env })));
  if (cfg.pseudonymize !== undefined) processors.push(createPseudonymizeProcessor(cfg.pseudonymize));
  let threats: ThreatProcessor | undefined;
  if (cfg.enableSecurity === true && cfg.threatPolicy !== 'off') {
    threats = createThreatProcessor(new SecurityValidator(), cfg.threatPolicy ?? 'tag');
    processors.push(threats);
  }
  processors.push(
    cfg.enableSanitization === false ? securityOnlyRedaction(sanitizer) : createRedactionProcessor(sanitizer),
  );
  if (plugins !== undefined) processors.push(plugins);
  processors.push(chain);
  return { processors, sanitizer, threats };
}

/** With redaction off, the security layers and the records of security()/audit()/compliance() are still redacted. */
function securityOnlyRedaction(sanitizer: DataSanitizer): Processor {
  const layers = new Set<string>(SECURITY_LAYERS);
  return {
    name: 'redaction',
    process: (record) =>
      record.kind !== undefined || layers.has(record.layer) ? sanitizer.sanitizeRecord(record) : record,
  };
}
