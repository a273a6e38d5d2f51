import { defineConfig } from 'vitest/config';

// CI reads a JSON report to print its own "N passed, N failed" line.
const reporters: any[] = ['default'];
if (process.env.VITEST_JSON_REPORT) reporters.push(['json', { outputFile: process.env.VITEST_JSON_REPORT }]);

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // The short soak (two platforms at once, about 3 minutes) runs by `npm run test:soak`, not
    // in `npm test`: it failed once on a loaded machine before its checks, cause not found yet.
    exclude: ['**/node_modules/**', '**/.serverless/**', '**/.esbuild/**', '**/.data/**', ...(process.env.SOAK_TEST === '1' ? [] : ['test/soak/**'])],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters,
    pool: 'forks',
  },
});
