import { defineConfig } from 'vitest/config';

// `npm run screenshots` only: the tour is not a test of the suite.
export default defineConfig({
  test: {
    include: ['tests/screenshots/tour.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
