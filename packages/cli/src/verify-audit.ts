import { escapeText, verifyAuditChain } from 'hydra-logger';

/** The `prevHash` of a chain's first record (64 zeros). */
const GENESIS_HASH = '0'.repeat(64);

import { type CommandSpec, type ParsedArgs, UsageError } from './args.js';

export const verifyAuditSpec: CommandSpec = {
  name: 'verify-audit',
  usage: 'hydra verify-audit <file> [--key <key>] [--previous-hash <hash>]',
  short: 'check the audit hash chain of a log file; names the first broken record',
  summary:
    'Checks the hash chain of an audit log written by hydra-logger (AUDIT records in the json format):\n' +
    'any record changed, inserted, removed or reordered breaks it; the first broken record is named\n' +
    'by its line number and why.',
  flags: [
    {
      name: 'key',
      kind: 'value',
      value: '<key>',
      help: 'HMAC key the chain was written with (default: HYDRA_LOG_AUDIT_KEY)',
    },
    {
      name: 'previous-hash',
      kind: 'value',
      value: '<hash>',
      help: 'hash the first record links to: the last hash of the file before (rotated files)',
    },
  ],
  positionals: { min: 1, max: 1, name: 'the audit log file' },
  notes:
    'The chain proves nothing about records removed from the end: keep the last hash elsewhere.\n' +
    'Prefer HYDRA_LOG_AUDIT_KEY to --key (a flag is visible to other users in the process list).\n' +
    'Exit codes: 0 intact, 1 broken or unreadable, 2 bad usage.',
};

export async function runVerifyAudit(args: ParsedArgs): Promise<number> {
  const file = args.positionals[0] as string;
  const key = args.values.get('key') ?? (process.env.HYDRA_LOG_AUDIT_KEY || undefined);
  const previousHash = args.values.get('previous-hash');
  if (previousHash !== undefined && !/^[0-9a-f]{64}$/.test(previousHash))
    throw new UsageError(
      `--previous-hash expects 64 hex digits (a SHA-256), got ${JSON.stringify(previousHash)}`,
    );
  const result = await verifyAuditChain(file, {
    ...(key !== undefined && { key }),
    ...(previousHash !== undefined && { previousHash }),
  });
  const name = escapeText(file);
  if (!result.ok) {
    process.stdout.write(`${name}: chain broken at line ${result.line}: ${result.reason}\n`);
    return 1;
  }
  if (result.records === 0) {
    process.stdout.write(`${name}: no records (nothing to verify)\n`);
    return 0;
  }
  const how = key === undefined ? 'SHA-256, no key' : 'HMAC-SHA-256';
  const from =
    (previousHash ?? GENESIS_HASH) === GENESIS_HASH
      ? 'from the genesis hash'
      : 'from the given previous hash';
  process.stdout.write(
    `${name}: ok, ${result.records} record${result.records === 1 ? '' : 's'} chained ${from} (${how}); last hash ${result.lastHash}\n`,
  );
  return 0;
}
