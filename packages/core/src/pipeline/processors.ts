import type { LoggingConfig } from '../config/types.js';
import type { Limits } from '../internal/limits.js';
import { loadExtrasChunk } from '../internal/load-extras.js';
import type { AuditChainProcessor } from '../security/audit-chain.js';
import { DataSanitizer } from '../security/data-sanitizer.js';
import { createEnvironmentProcessor, detectEnvironment } from '../security/environment.js';
import { createRedactionProcessor } from '../security/redaction-processor.js';
import type { ThreatProcessor } from '../security/threat-processor.js';
import type { Processor } from './processor.js';

/** The layers `security()`, `audit()` and `compliance()` write to by default. */
export const SECURITY_LAYERS = ['SECURITY', 'AUDIT', 'COMPLIANCE'] as const;

/** The processors one configuration asks for, and the parts the metrics read. */
export interface ProcessorChain {
  processors: Processor[];
  sanitizer: DataSanitizer;
  threats: ThreatProcessor | undefined;
}

/**
 * The audit chain outlives configurations: `updateConfig` keeps linking to the last hash. Its code is
 * in the extras chunk, loaded with the first AUDIT record (a logger that writes none never loads it);
 * the chain then starts from the last hash of the AUDIT layer's JSON file, if it has one.
 */
export function createAuditChain(cfg: LoggingConfig, key: string | undefined): AuditChainProcessor {
  const file = cfg.layers?.AUDIT?.destinations?.find(
    (d) => d.type === 'file' && (d.format ?? 'json') === 'json',
  )?.path;
  let chain: AuditChainProcessor | undefined;
  const real = (): AuditChainProcessor => {
    if (chain !== undefined) return chain;
    const extras = loadExtrasChunk();
    let previousHash = extras.GENESIS_HASH;
    if (file !== undefined) {
      try {
        previousHash = extras.readLastAuditHash(file) ?? extras.GENESIS_HASH;
      } catch {
        // An unreadable file starts a new chain; verifyAuditChain will show where.
      }
    }
    chain = extras.createAuditChainProcessor({ previousHash, ...(key !== undefined && { key }) });
    return chain;
  };
  return {
    name: 'audit-chain',
    process: (record) => (record.layer === 'AUDIT' ? real().process(record) : record),
    lastHash: () => real().lastHash(),
  };
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
  // Pseudonymization and threat detection are in the extras chunk, loaded when a config asks for them.
  if (cfg.pseudonymize !== undefined)
    processors.push(loadExtrasChunk().createPseudonymizeProcessor(cfg.pseudonymize));
  let threats: ThreatProcessor | undefined;
  if (cfg.enableSecurity === true && cfg.threatPolicy !== 'off') {
    const extras = loadExtrasChunk();
    threats = extras.createThreatProcessor(new extras.SecurityValidator(), cfg.threatPolicy ?? 'tag');
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
