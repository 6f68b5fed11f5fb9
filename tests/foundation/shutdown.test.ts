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
      const res = await t.driver.command({ command: '/frontline', text: 'dept add legal C0LEGAL Legal', user_id: 'U0OWNER' });
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
});
