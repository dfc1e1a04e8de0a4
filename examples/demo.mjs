// The zero-config demo (`npm run demo`): the same program as `npx hydra demo`, which holds it
// (packages/cli/src/demo.ts), so the two cannot drift apart.
import { runDemo } from '../packages/cli/dist/demo.js';

process.exitCode = await runDemo();
