// The data migration that decodes text stored with Slack's escaping, so rows written before text was
// stored as typed read like rows written now; rows that were stored raw are left as they are.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { withDefaultSla } from '../../src/departments/departments.models.ts';
import { departments } from '../../src/departments/departments.table.ts';
import { feedbackItems, feedbackThemes } from '../../src/feedback/feedback.table.ts';
import { helpRequests } from '../../src/help-requests/help-requests.table.ts';
import { useMigration } from '../support/migration.ts';

const migration = useMigration('_unescape_stored_text.sql');

describe(`migration ${migration.name}`, () => {
  it('decodes what was stored escaped and leaves what was stored as typed', async () => {
    const db = migration.db();
    const now = new Date('2026-03-02T10:00:00Z');
    const [help] = await db
      .insert(helpRequests)
      .values({
        question: 'Why &lt;!channel&gt; Q&amp;A &amp;lt;b&amp;gt;?',
        context: 'a &gt; b',
        customer: 'R&amp;D',
        askerId: 'U0ASKER',
        createdAt: now,
      })
      .returning();
    const feedback = (text: string, capturedVia: 'command' | 'reaction' | 'shortcut' | 'modal' | 'webhook') => ({
      text,
      customer: 'A&amp;B',
      capturedVia,
      receivedAt: now,
    });
    const old = await db
      .insert(feedbackItems)
      .values([
        feedback('Slow &lt;export&gt;', 'command'),
        feedback('Slow &lt;export&gt;', 'reaction'),
        feedback('Slow &lt;export&gt;', 'shortcut'),
      ])
      .returning();
    const [raw] = await db.insert(feedbackItems).values(feedback('Typed &lt; as is', 'webhook')).returning();
    await db.insert(departments).values({
      key: 'rnd',
      name: 'R&amp;D &lt;team&gt;',
      channelId: 'C0RND',
      sla: withDefaultSla(),
      keywords: ['a&amp;b', 'plain', 'c&lt;d'],
    });
    await db.insert(feedbackThemes).values({ name: 'billing', keywords: ['x&gt;y', 'invoice'] });

    await migration.rerun();

    const [decoded] = await db.select().from(helpRequests).where(eq(helpRequests.id, help!.id));
    expect(decoded).toMatchObject({ question: 'Why <!channel> Q&A &lt;b&gt;?', context: 'a > b', customer: 'R&D' });
    for (const item of old) {
      const [row] = await db.select().from(feedbackItems).where(eq(feedbackItems.id, item.id));
      expect(row).toMatchObject({ text: 'Slow <export>', customer: 'A&B' });
    }
    const [untouched] = await db.select().from(feedbackItems).where(eq(feedbackItems.id, raw!.id));
    expect(untouched).toMatchObject({ text: 'Typed &lt; as is', customer: 'A&amp;B' });
    const [department] = await db.select().from(departments).where(eq(departments.key, 'rnd'));
    expect(department).toMatchObject({ name: 'R&D <team>', keywords: ['a&b', 'plain', 'c<d'] });
    const [theme] = await db.select().from(feedbackThemes).where(eq(feedbackThemes.name, 'billing'));
    expect(theme?.keywords).toEqual(['x>y', 'invoice']);
  });
});
