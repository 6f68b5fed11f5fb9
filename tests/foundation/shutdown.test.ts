// Stopping lets requests that were acked but are still being worked on finish first.
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../support/test-app.ts';

describe('shutdown', () => {
  it('waits for in-flight requests before closing the database', async () => {
    const t = await startTestApp();
    try {
      // A workspace admin (not in FRONTLINE_ADMINS), so the handler asks Slack first — slowly.
      t.fake.setUser({ id: 'U0OWNER', is_owner: true });
      t.fake.failNext('users.info', { delayMs: 600 });
      const res = await t.driver.command({
        command: '/frontline',
        text: 'dept add legal C0LEGAL Legal',
        user_id: 'U0OWNER',
      });
      expect(res.status).toBe(200); // acked at once
      await t.frontline.stop();
      // The handler ran to the end: it wrote, joined the channel and answered, without an error reply.
      expect(t.fake.responses.map((r) => r.body.text)).toEqual([expect.stringContaining('Added *Legal*')]);
      expect(t.fake.callsTo('conversations.join')).toHaveLength(1);
    } finally {
      await t.database.drop();
      await t.fake.close();
    }
  });

  it('closes the database in moments once its work is done, though the outbox took locks', async () => {
    const t = await startTestApp();
    try {
      // The locks' session is a reserved connection: the pool used to wait its whole 5 s end timeout for it.
      const release = await t.deps.database.locks.tryLock('shutdown-test');
      await release?.();
      const started = Date.now();
      await t.frontline.stop();
      expect(Date.now() - started).toBeLessThan(2_500);
    } finally {
      await t.database.drop();
      await t.fake.close();
    }
  });
});
