// Named configurations: built-ins and your own.
import { HydraLogger } from 'hydra-logger';

// Declares the name for the type checker, so that `forMagic('my_app')` compiles and a typo does not.
declare module 'hydra-logger' {
  interface HydraMagicConfigs {
    my_app: true;
  }
}

HydraLogger.registerMagic(
  'my_app',
  () => ({
    layers: {
      DEFAULT: { destinations: [{ type: 'memory', name: 'all' }] },
      CUSTOM: { level: 'debug', destinations: [{ type: 'memory', name: 'custom', format: 'logfmt' }] },
    },
  }),
  'My custom configuration',
);
const logger = HydraLogger.forMagic('my_app');
logger.debug('CUSTOM', 'custom layer message');
logger.info('SOMETHING_ELSE', 'goes to DEFAULT, keeps its layer name');
const custom = logger.memory('custom')?.lines() ?? [];
if (!custom[0]?.includes('msg="custom layer message"')) throw new Error(`custom: ${custom}`);
if (!logger.memory('all')?.lines()[0]?.includes('"layer":"SOMETHING_ELSE"'))
  throw new Error('DEFAULT routing');

const names = HydraLogger.listMagicConfigs().map((c) => c.name);
for (const builtIn of ['production', 'development', 'testing', 'microservice', 'web_app', 'api_service'])
  if (!names.includes(builtIn)) throw new Error(`missing ${builtIn}`);
const testing = HydraLogger.forTesting();
testing.debug('APP', 'captured in memory');
if (testing.memory()?.lines().length !== 1) throw new Error('forTesting');
HydraLogger.unregisterMagic('my_app');
console.log('example ok: magic-configs');
