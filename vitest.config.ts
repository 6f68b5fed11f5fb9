import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    // Each file starts its own app, fake Slack and database. Three files at a time on two cores: the
    // crash, start-up and timeout tests mostly wait (a minute's job, a deadline), and a third file
    // works meanwhile (measured: 2 workers 118 s, 3 workers 93 s, 4 workers 112 s on one subset).
    // Two on a shared TEST_DATABASE_URL server, whose connection limit (100 by default) other runs share.
    maxWorkers: process.env.TEST_DATABASE_URL ? 2 : 3,
    // A worker runs file after file in one process with its modules loaded once: a fresh process
    // per file spent more time loading the app than most files spend testing it. Files share no
    // state (each starts its own app on its own database); vitest still resets mocks and config.
    isolate: false,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
