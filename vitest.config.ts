import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// These files wait on real app processes and the minute's jobs, up to two minutes each. With no
// record of earlier runs (a fresh clone, as in CI) vitest starts the largest files first; started
// late, these finished last, with the other workers idle (measured: the suite took 237 s, crash.test
// alone ran from 78 s to 238 s). replicas.test waits for the next real minute: up to a minute idle.
const LONGEST_FIRST = [
  'tests/resilience/crash.test.ts',
  'tests/resilience/webhooks-crash.test.ts',
  'tests/resilience/untrusted-text.property.test.ts',
  'tests/resilience/replicas.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const at = LONGEST_FIRST.findIndex((name) => file.moduleId.endsWith(name));
      return at === -1 ? LONGEST_FIRST.length : at;
    };
    // A stable sort: the rest keep vitest's own order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

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
    sequence: { sequencer: LongestFirst },
  },
});
