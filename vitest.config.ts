import { defineConfig } from 'vitest/config';

// CI reads a JSON report to print its own "N passed, N failed" line.
const reporters: any[] = ['default'];
if (process.env.VITEST_JSON_REPORT) reporters.push(['json', { outputFile: process.env.VITEST_JSON_REPORT }]);

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/.serverless/**', '**/.esbuild/**', '**/.data/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters,
    pool: 'forks',
  },
});
