// Layers routed to files in several formats, rotation, custom plain-text lines, a YAML file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HydraLogger, loadConfig } from 'hydra-logger';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hydra-example-'));
const logger = new HydraLogger({
  dateFormat: '%Y-%m-%d',
  timeFormat: '%H:%M:%S',
  loggerNameFormat: '[{name}]',
  messageFormat: '{level}: {message}',
  config: {
    defaultLevel: 'info',
    layers: {
      DEFAULT: { destinations: [{ type: 'console', colorMode: 'never' }] },
      APP: {
        destinations: [
          {
            type: 'file',
            path: path.join(dir, 'app.log'),
            format: 'plain-text',
            maxSize: '1MB',
            backupCount: 3,
          },
          { type: 'file', path: path.join(dir, 'app.jsonl'), format: 'json' },
        ],
      },
      DB: {
        level: 'warning',
        destinations: [{ type: 'file', path: path.join(dir, 'db.csv'), format: 'csv' }],
      },
    },
  },
});
logger.info('APP', 'Application started', { version: '1.0.0' });
logger.info('DB', 'not written: DB is WARNING');
logger.error('DB', 'query failed', { table: 'users' });
await logger.close();

const app = fs.readFileSync(path.join(dir, 'app.log'), 'utf8');
if (!/\[APP\] INFO: Application started version=1\.0\.0\n$/.test(app))
  throw new Error(`unexpected app.log: ${app}`);
const csv = fs.readFileSync(path.join(dir, 'db.csv'), 'utf8').trim().split('\n');
if (csv.length !== 2 || csv[0] !== 'timestamp,level,layer,message,fields')
  throw new Error(`unexpected db.csv: ${csv}`);

// The same kind of config as a YAML file, with snake_case keys (accepted as aliases)
const yamlPath = path.join(dir, 'logging.yaml');
fs.writeFileSync(
  yamlPath,
  `default_level: debug\nlayers:\n  APP:\n    destinations:\n      - type: file\n        path: ${path.join(dir, 'yaml.log')}\n        max_size: 5MB\n        backup_count: 2\n`,
);
const fromYaml = new HydraLogger({ config: loadConfig(yamlPath) });
fromYaml.debug('APP', 'configured from YAML');
await fromYaml.close();
if (!fs.readFileSync(path.join(dir, 'yaml.log'), 'utf8').includes('configured from YAML'))
  throw new Error('yaml.log');
fs.rmSync(dir, { recursive: true });
console.log('example ok: config-and-formats');
