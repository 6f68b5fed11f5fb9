// The digest's escalations, help requests and shadowing numbers, checked against data seeded through
// each capability's repository at known times.
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { renderChartPng } from '../../src/digests/digests.chart.ts';
import { DIGEST_JOB } from '../../src/digests/digests.jobs.ts';
import { digestPeriod } from '../../src/digests/digests.models.ts';
import { buildDigestChart } from '../../src/digests/digests.usecases.ts';
import { createEscalationsRepository } from '../../src/escalations/escalations.repository.ts';
import { createHelpRequestsRepository, type HelpRequest } from '../../src/help-requests/help-requests.repository.ts';
import { createRotationsRepository } from '../../src/rotations/rotations.repository.ts';
import { createSessionsRepository } from '../../src/rotations/sessions.repository.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
const DIGEST_CHANNEL = 'C0LEADERS';
const d = (iso: string) => new Date(iso);
const plus = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);

/** Escalations with a 15-minute ack and 4-hour resolve target, claimed and resolved at the given times. */
async function seedEscalations() {
  const repo = createEscalationsRepository(t.deps);
  const departments = createDepartmentsRepository(t.deps);
  await departments.upsert({ key: 'billing', name: 'Billing', channelId: 'C0BILLING' });
  await departments.upsert({ key: 'legal', name: 'Legal', channelId: 'C0LEGAL' });
  const raise = (departmentKey: string, at: string) =>
    repo.create({
      departmentKey,
      priority: 'urgent',
      summary: `raised ${at}`,
      requesterId: 'U0AGENT',
      createdAt: d(at),
      ackDueAt: plus(d(at), 15),
      ackAlertAt: plus(d(at), 30),
      resolveDueAt: plus(d(at), 240),
    });
  const work = async (departmentKey: string, at: string, claimAfter: number, resolveAfter?: number) => {
    const e = (await raise(departmentKey, at))!;
    await repo.claim(e.id, 'U0SPECIALIST', plus(d(at), claimAfter));
    if (resolveAfter !== undefined) await repo.resolve(e.id, 'U0SPECIALIST', 'done', plus(d(at), resolveAfter));
  };
  // Reported week [2 Mar 09:00, 9 Mar 09:00).
  await work('billing', '2026-03-02T10:00:00Z', 10, 120); // on time
  await work('billing', '2026-03-03T10:00:00Z', 30, 300); // late to acknowledge and to resolve
  const misrouted = (await raise('billing', '2026-03-04T10:00:00Z'))!;
  const moved = await repo.reassign(
    misrouted.id,
    'U0SPECIALIST',
    (old) => ({
      summary: old.summary,
      priority: old.priority,
      requesterId: old.requesterId,
      departmentKey: 'legal',
      createdAt: d('2026-03-04T10:20:00Z'),
      ackDueAt: d('2026-03-04T10:35:00Z'),
      ackAlertAt: d('2026-03-04T10:50:00Z'),
      resolveDueAt: d('2026-03-04T14:20:00Z'),
    }),
    d('2026-03-04T10:20:00Z'),
  );
  await repo.claim(moved!.next.id, 'U0LAWYER', d('2026-03-04T10:40:00Z')); // late, and never resolved
  await work('legal', '2026-03-05T10:00:00Z', 5, 60); // on time
  // The week before.
  await work('billing', '2026-02-24T10:00:00Z', 5, 60);
  await work('billing', '2026-02-25T10:00:00Z', 10, 120);
  await work('legal', '2026-02-26T10:00:00Z', 20, 60); // late to acknowledge
  // Only in the chart: four weeks earlier.
  await work('legal', '2026-02-03T10:00:00Z', 5, 60);
}

async function seedHelpRequests() {
  const repo = createHelpRequestsRepository(t.deps);
  const ask = (at: string, askerId: string, topic: string | null) =>
    repo.create(
      { question: `Question from ${askerId}`, urgency: 'normal', askerId, topic },
      d(at),
    ) as Promise<HelpRequest>;
  const h1 = await ask('2026-03-02T10:00:00Z', 'U0ASK1', 'sso');
  await repo.claim(h1.id, 'U0HA', d('2026-03-02T10:06:00Z'));
  await repo.claim(h1.id, 'U0HB', d('2026-03-02T10:10:00Z'));
  await repo.solve(h1.id, { userId: 'U0ASK1', note: null }, d('2026-03-02T11:00:00Z'));
  const h2 = await ask('2026-03-03T10:00:00Z', 'U0ASK2', null);
  await repo.claim(h2.id, 'U0HA', d('2026-03-03T10:20:00Z'));
  await ask('2026-03-04T10:00:00Z', 'U0ASK3', 'sso'); // nobody answered
  const h4 = await ask('2026-03-05T10:00:00Z', 'U0ASK4', 'refunds');
  await repo.claim(h4.id, 'U0HC', d('2026-03-05T12:00:00Z'));
  await repo.solve(h4.id, { userId: 'U0ASK4', note: 'refunded' }, d('2026-03-06T10:00:00Z'));
  // The week before.
  const p1 = await ask('2026-02-24T10:00:00Z', 'U0ASK5', null);
  await repo.claim(p1.id, 'U0HB', d('2026-02-24T10:30:00Z'));
  await repo.solve(p1.id, { userId: 'U0ASK5', note: null }, d('2026-02-24T11:00:00Z'));
  const p2 = await ask('2026-02-25T10:00:00Z', 'U0ASK6', null);
  await repo.claim(p2.id, 'U0HB', d('2026-02-25T11:00:00Z'));
}

async function seedShadowing() {
  const rotations = createRotationsRepository(t.deps);
  const sessions = createSessionsRepository(t.deps);
  const created = d('2026-02-01T00:00:00Z');
  const rotation = await rotations.create(
    {
      name: 'Tuesday shadowing',
      cadence: 'weekly',
      weekday: 2,
      startTime: '14:00',
      durationMinutes: 60,
      timezone: 'UTC',
      shadowsPerSession: 3,
      planAheadWeeks: 4,
      usergroupId: null,
      userIds: ['U0ANA', 'U0BEN', 'U0CAL'],
      hostIds: ['U0HOST'],
    },
    'U0ADMIN',
    '2026-02-01',
    created,
  );
  const seat = (iso: string, seat: number, shadowId: string) => ({
    startsAt: d(iso).getTime(),
    date: iso.slice(0, 10),
    seat,
    shadowId,
    hostId: 'U0HOST',
    kept: false,
  });
  await sessions.applyPlan(
    rotation.id,
    60,
    {
      seats: [
        seat('2026-02-24T14:00:00Z', 1, 'U0ANA'),
        seat('2026-02-24T14:00:00Z', 2, 'U0BEN'),
        seat('2026-03-03T14:00:00Z', 1, 'U0ANA'),
        seat('2026-03-03T14:00:00Z', 2, 'U0BEN'),
        seat('2026-03-03T14:00:00Z', 3, 'U0CAL'),
      ],
      released: [],
    },
    created,
  );
  const after = d('2026-03-03T15:00:00Z');
  const seats = await sessions.startingBetween(d('2026-02-24T00:00:00Z'), d('2026-03-04T00:00:00Z'));
  const find = (day: string, shadowId: string) => seats.find((s) => s.localDate === day && s.shadowId === shadowId)!;
  for (const s of [
    find('2026-02-24', 'U0ANA'),
    find('2026-02-24', 'U0BEN'),
    find('2026-03-03', 'U0ANA'),
    find('2026-03-03', 'U0BEN'),
  ])
    await sessions.markAttendance(s.id, 'U0HOST', 'held', after);
  await sessions.markAttendance(find('2026-03-03', 'U0CAL').id, 'U0HOST', 'no_show', after);
  await sessions.saveReflection(
    find('2026-03-03', 'U0ANA').id,
    'U0ANA',
    { surprised: 'How many tickets are about invoices', fix: 'The refund form', usefulness: 5 },
    after,
  );
  await sessions.saveReflection(
    find('2026-03-03', 'U0BEN').id,
    'U0BEN',
    { surprised: 'The queue at lunchtime', fix: 'Macros for shipping delays', usefulness: 3 },
    after,
  );
}

beforeAll(async () => {
  await seedEscalations();
  await seedHelpRequests();
  await seedShadowing();
  await t.deps.workspace.digestChannel.set(DIGEST_CHANNEL);
});

const digestPosts = () =>
  t.fake.callsTo('chat.postMessage').filter((c) => String(c.args.text).startsWith('Customer digest'));
/** Each section's header and its key figures as shown side by side. */
const figuresOf = (blocks: unknown) =>
  Object.fromEntries(
    (blocks as { type: string; text?: { text: string }; fields?: { text: string }[] }[]).flatMap((b, i, all) =>
      b.type === 'header' && all[i + 1]?.fields ? [[b.text!.text, all[i + 1]!.fields!.map((f) => f.text)]] : [],
    ),
  );

const sectionTexts = (blocks: unknown) =>
  (blocks as { text?: { text: string } }[]).flatMap((b) => (b.text ? [b.text.text] : []));

describe('the weekly digest with escalations, help requests and shadowing', () => {
  it('reports each capability’s numbers for the week against the week before, in order, with an SLA insight and the escalations chart', async () => {
    t.clock.set('2026-03-09T09:00:00Z');
    expect(await t.deps.scheduler.runSlot(DIGEST_JOB, d('2026-03-09T09:00:00Z'))).toBe(true);
    const [post] = digestPosts();
    expect(post?.args.channel).toBe(DIGEST_CHANNEL);
    const texts = sectionTexts(post!.args.blocks);
    const at = (start: string) => texts.findIndex((s) => s.startsWith(start));

    expect(texts[at('*Key insights*')]).toBe(
      '*Key insights*\n• :warning: More escalations missed their SLA: 50%, up from 33% the week before.',
    );
    expect(figuresOf(post!.args.blocks)).toEqual({
      ':rotating_light: Escalations': [
        'Opened\n*4*   ↑ 33%',
        'Resolved\n*3*   no change',
        'Median time to acknowledge\n*15 min*   ↑ 50%',
        'Missed their SLA\n*50%*   ↑ 17 pts',
      ],
      ':raising_hand: Help requests': [
        'Asked\n*4*   ↑ 100%',
        'Found a helper\n*75%*   ↓ 25 pts',
        'Solved\n*2*   ↑ 100%',
        'Median time to first helper\n*20 min*   ↓ 56%',
      ],
      ':busts_in_silhouette: Shadowing': [
        'Sessions held\n*2*   no change',
        'No-shows\n*1*   ↑ from 0',
        'Usefulness, as shadows rated it\n*4.0/5*',
      ],
    });
    expect(JSON.stringify(post!.args.blocks)).toContain('Median time to resolve *2 h* · 1 escalation misrouted');
    expect(texts[at('*By department*')]).toBe(
      [
        '*By department*',
        '• *Billing* 3 opened (↑ 50%) · 2 resolved · ack 20 min · resolve 3 h 30 min · 50% missed SLA · 1 misroute · 67% routed right first time (was 100%)',
        '• *Legal* 2 opened (↑ 100%) · 1 resolved · ack 13 min · resolve 1 h · 50% missed SLA · 100% routed right first time (was 100%)',
      ].join('\n'),
    );
    expect(texts[at('Median time to solve')]).toBe(
      [
        'Median time to solve *12 h 30 min*',
        'Top helpers: <@U0HA> 2 · <@U0HB> 1 · <@U0HC> 1',
        'Most asked about: sso 2 · refunds 1',
      ].join('\n'),
    );
    expect(texts[at('*From the reflections*')]).toBe(
      [
        '*From the reflections*',
        '>*What should we fix?* The refund form\n>*What surprised them?* How many tickets are about invoices\n>— <@U0ANA>, Tuesday shadowing · 5/5',
        '',
        '>*What should we fix?* Macros for shipping delays\n>*What surprised them?* The queue at lunchtime\n>— <@U0BEN>, Tuesday shadowing · 3/5',
      ].join('\n'),
    );
    expect(at(':rotating_light: Escalations')).toBeLessThan(at(':raising_hand: Help requests'));
    expect(at(':raising_hand: Help requests')).toBeLessThan(at(':busts_in_silhouette: Shadowing'));
    expect(texts.some((s) => s.includes('Customer feedback'))).toBe(false); // no feedback this week: left out

    // The plain-text fallback carries every section's one-line summary.
    expect(String(post!.args.text).split('\n').slice(2)).toEqual([
      'Escalations: 4 opened (+33%), 3 resolved, 50% missed their SLA.',
      'Help requests: 4 asked (+100%), 3 answered, 2 solved.',
      'Shadowing: 2 sessions held (no change), 1 no-show.',
    ]);

    // The chart's data for the reported week are the digest's numbers: 4 escalations opened, no feedback.
    const chart = await buildDigestChart(
      { sections: t.deps.digests },
      { period: digestPeriod(d('2026-03-09T09:00:00Z'), 'UTC') },
    );
    expect(chart!.input.weekLabels.at(-1)).toBe('2 Mar');
    const last = (label: string) =>
      chart!.input.groups.find((g) => g.label === label)!.series.map((s) => s.values.at(-1));
    expect(last('Escalations opened')).toEqual([4]);
    // No feedback in eight weeks: no empty panel for it.
    expect(chart!.input.groups.map((g) => g.label)).toEqual(['Escalations opened']);
    const image = (post!.args.blocks as { type: string; slack_file?: { id: string } }[]).find(
      (b) => b.type === 'image',
    );
    const png = PNG.sync.read(t.fake.uploads.get(image!.slack_file!.id)!);
    const { width, height } = await renderChartPng(chart!.input);
    expect([png.width, png.height]).toEqual([width, height]);
  });

  it('counts escalations opened per week for the chart, reading only the weeks asked for', async () => {
    const weeks = ['2026-02-02', '2026-02-09', '2026-02-16', '2026-02-23', '2026-03-02'].map((day) => ({
      start: d(`${day}T09:00:00Z`),
      end: plus(d(`${day}T09:00:00Z`), 7 * 1440),
    }));
    expect(await createEscalationsRepository(t.deps).weeklyOpened(weeks)).toEqual([1, 0, 0, 3, 4]);
    expect(await createEscalationsRepository(t.deps).weeklyOpened(weeks.slice(1, 3))).toEqual([0, 0]);
  });

  it('leaves a week with nothing new to the one-line note, even though the week before was busy', async () => {
    t.fake.reset();
    t.clock.set('2026-03-16T09:00:00Z');
    await t.deps.scheduler.runSlot(DIGEST_JOB, d('2026-03-16T09:00:00Z'));
    const [post] = digestPosts();
    expect(post?.args.blocks).toHaveLength(2);
    expect(String(post?.args.text)).toContain(
      'A quiet week: no customer feedback, escalations, help requests or shadow sessions were recorded.',
    );
  });
});
