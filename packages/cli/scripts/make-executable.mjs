// npm marks a package's bin executable when it installs it; in the workspace the bin is built
// after `npm install` linked it, so the build does it (no-op on Windows, where npm writes shims).
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

chmodSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js'), 0o755);
