// The knowledge section of the weekly digest, from searches, uses and answers seeded at known times.
import { beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_JOB } from '../../src/digests/digests.jobs.ts';
import { createKnowledgeRepository } from '../../src/knowledge/knowledge.repository.ts';
import { useTestApp } from '../support/test-app.ts';
import { seedAnswer } from './helpers.ts';

const t = useTestApp();
const d = (iso: string) => new Date(iso);
const repo = () => createKnowledgeRepository(t.deps);

beforeAll(async () => {
  // Reported week [2 Mar 09:00, 9 Mar 09:00); the week before it [23 Feb 09:00, 2 Mar 09:00).
  t.clock.set('2026-02-25T10:00:00Z');
  const old = await seedAnswer(t, { title: 'What is our refund policy?', body: 'Thirty days.' });
  t.clock.set('2026-03-03T10:00:00Z');
  await seedAnswer(t, { title: 'Where is the DPA?', body: 'On the legal wiki.' });
  await seedAnswer(t, { title: 'Is there a dark mode?', body: 'Profile > Appearance.' });
  const use = (at: string, kind: 'deflected' | 'shared') =>
    t.deps.db.transaction((tx) => repo().recordUse(tx as never, { answerId: old.id, userId: 'U0A', kind, at: d(at) }));
  await use('2026-02-26T10:00:00Z', 'deflected');
  await use('2026-03-03T10:00:00Z', 'deflected');
  await use('2026-03-04T10:00:00Z', 'deflected');
  await use('2026-03-05T10:00:00Z', 'shared');
  const lookup = (query: string, at: string) =>
    repo().recordLookup({ kind: 'ask', query, language: 'english', userId: 'U0B', answered: false, at: d(at) });
  await lookup('parking at the office', '2026-02-27T10:00:00Z');
  await lookup('Parking at the office?', '2026-03-03T10:00:00Z');
  await lookup('office parking', '2026-03-04T10:00:00Z');
  await lookup('the office parking', '2026-03-06T10:00:00Z');
  await lookup('expense policy', '2026-03-06T11:00:00Z');
  await t.deps.workspace.digestChannel.set('C0LEADERS');
});

describe('the knowledge digest section', () => {
  it('reports deflections, answers added, the most used and the gaps, each against the week before', async () => {
    t.clock.set('2026-03-09T09:00:00Z');
    expect(await t.deps.scheduler.runSlot(DIGEST_JOB, d('2026-03-09T09:00:00Z'))).toBe(true);
    const post = t.fake.callsTo('chat.postMessage').find((c) => String(c.args.text).startsWith('Customer digest'));
    const shown = JSON.stringify(post!.args.blocks);
    const texts = (post!.args.blocks as { text?: { text: string } }[]).flatMap((b) => (b.text ? [b.text.text] : []));
    expect(texts).toContain(':books: Answers');
    expect(shown).toContain('Answers added\\n*2*   ↑ 100%');
    expect(shown).toContain('Answered before posting\\n*2*   ↑ 100%');
    expect(texts).toContain('*Most used*\n• What is our refund policy? · used 3×');
    expect(texts).toContain(
      [
        '*Knowledge gaps*: asked with no answer yet',
        '• “Parking at the office?” · asked 3× (↑ 200%)',
        '• “expense policy” · asked 1× (↑ from 0)',
        '_Answer one with the *Save as answer* shortcut._',
      ].join('\n'),
    );
    expect(texts.some((s) => s.includes('“Parking at the office?” was asked 3 times this week'))).toBe(true);
  });
});
