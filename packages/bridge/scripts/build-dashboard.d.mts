/** Builds the dashboard into `outDir` (default: the package's dist/dashboard); resolves to that directory. */
export function buildDashboard(outDir?: string): Promise<string>;
