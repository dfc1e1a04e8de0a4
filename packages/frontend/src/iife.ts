// The script-tag build: defines globalThis.HydraFrontend.
import * as HydraFrontend from './index.js';

(globalThis as unknown as { HydraFrontend: typeof HydraFrontend }).HydraFrontend = HydraFrontend;
