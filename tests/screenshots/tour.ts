// `npm run screenshots`: drives the real app through a short tour against the fake Slack, keeps
// what it sent (the escalation card, the digest and App Home) and renders them to
// docs/screenshots/*.png with blockkit-render, so the README shows what people actually see.
// Run through vitest (tests/screenshots/vitest.config.ts) for its embedded PostgreSQL set-up.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { escalations } from '../../src/escalations/escalations.table.ts';
import { createFeedbackRepository, type NewFeedback } from '../../src/feedback/feedback.repository.ts';
import type { RecordedCall } from '../support/fake-slack.ts';
import { eventually, submitView } from '../support/outcomes.ts';
import { field, stateValues } from '../support/payloads.ts';
import { ADMIN, startTestApp, type TestApp } from '../support/test-app.ts';

const REPO = resolve(import.meta.dirname, '../..');
const OUT = join(REPO, 'docs/screenshots');
/** blockkit-render lives beside the repository on the team's machines; BLOCKKIT_RENDER points elsewhere. */
const RENDERER = resolve(process.env.BLOCKKIT_RENDER ?? join(REPO, '../shared/tools/blockkit-render/render.mjs'));
/** Set to a file to keep every call of the tour (forms and DMs too), for looking at all of it. */
const ALL_CALLS = process.env.SCREENSHOTS_ALL_CALLS;

const AGENT = 'U0AGENT';
const SAM = 'U0SAM';
const NAMES = {
  [ADMIN]: 'Maria Lopez',
  [AGENT]: 'Tom Baker',
  [SAM]: 'Sam Okafor',
  C0BILLING: 'billing',
  C0LEGAL: 'legal',
  C0LEADERS: 'cs-leaders',
};

let t: TestApp;
beforeAll(async () => {
  if (!existsSync(RENDERER))
    throw new Error(
      `npm run screenshots needs blockkit-render (a Slack look-alike renderer with headless Chromium), not found at ${RENDERER}. ` +
        'Set BLOCKKIT_RENDER=/path/to/render.mjs, or skip the screenshots: the app does not need them.',
    );
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

const feedback = (
  daysAgo: number,
  text: string,
  themes: string[],
  label: NewFeedback['sentimentLabel'],
  score: number,
  customer?: string,
): NewFeedback => ({
  text,
  themes,
  sentimentLabel: label,
  sentimentScore: score,
  receivedAt: new Date(t.clock.now().getTime() - daysAgo * 86_400_000),
  source: 'email',
  capturedVia: 'webhook',
  ...(customer ? { customer } : {}),
});

async function frontline(text: string, user = ADMIN): Promise<void> {
  const url = t.fake.responseUrl();
  await t.driver.command({ command: '/frontline', text, user_id: user, response_url: url });
  await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`));
}

/** The renderer heads each picture with a grey line naming the call: the README shows only what Slack shows. */
function withoutRendererHeader(bytes: Buffer): Buffer {
  const png = PNG.sync.read(bytes);
  const rowIsBorder = (y: number) => {
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      if (png.data[i] !== 232 || png.data[i + 1] !== 232 || png.data[i + 2] !== 232) return false;
    }
    return true;
  };
  let border = -1;
  for (let y = 0; y < Math.min(png.height, 200) && border < 0; y++) if (rowIsBorder(y)) border = y;
  if (border < 0) return bytes;
  // Past the border (which may be several rows thick at twice the size).
  let top = border;
  while (top < png.height && rowIsBorder(top)) top++;
  const cropped = new PNG({ width: png.width, height: png.height - top });
  png.data.copy(cropped.data, 0, top * png.width * 4);
  return PNG.sync.write(cropped);
}

/** One recorded call as a blockkit-render item. */
const item = (label: string, call: RecordedCall, user?: string) => ({
  method: call.method,
  label,
  args: call.args,
  // Shown at the tour's clock, beside the times the app wrote, not at the machine's.
  at: t.clock.now().getTime(),
  ...(user ? { user } : {}),
});

it('renders the escalation card, the digest and App Home from the app’s own output', async () => {
  t.clock.set('2026-03-09T08:40:00Z');
  const departments = createDepartmentsRepository(t.deps);
  await departments.upsert({ key: 'billing', name: 'Billing & Payments', channelId: 'C0BILLING', leads: [ADMIN, SAM] });
  await departments.upsert({ key: 'legal', name: 'Legal', channelId: 'C0LEGAL', leads: [SAM] });
  const repo = createFeedbackRepository(t.deps);
  for (const f of [
    feedback(1, 'Charged twice this month, awful', ['billing'], 'negative', -5, 'Acme'),
    feedback(2, 'The invoice address is wrong again', ['billing'], 'negative', -2, 'Globex'),
    feedback(3, 'Onboarding call helped a lot', ['onboarding'], 'positive', 3, 'Initech'),
    feedback(4, 'Reports load quickly now, love it', ['performance'], 'positive', 3),
    feedback(5, 'Export timed out twice', ['performance'], 'negative', -2, 'Acme'),
    feedback(9, 'Billing page is confusing', ['billing'], 'negative', -2),
    feedback(10, 'Great support from the team', ['onboarding'], 'positive', 2),
  ])
    await repo.insert(f);

  // An escalation by form, claimed by a lead: the card as the department channel sees it.
  await submitView(t, {
    callback_id: 'escalation_raise',
    user_id: AGENT,
    values: stateValues({
      'escalation_department/department': field.select('billing'),
      'escalation_priority/priority': field.select('high'),
      'escalation_customer/customer': field.text('Acme Corp (account 4411)'),
      'escalation_summary/summary': field.text('Card charged twice for the March invoice'),
      'escalation_details/details': field.text(
        'The customer sees two charges of €240 on 3 March. One refund is pending.',
      ),
      'escalation_link/link': field.url('https://support.example.com/tickets/4411'),
    }),
  });
  await t.fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0BILLING');
  const [message] = t.fake.messagesIn('C0BILLING');
  const claim = (message!.blocks as { elements?: { action_id: string; value?: string }[] }[])
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.action_id === 'escalation_claim');
  await t.driver.blockAction({
    action_id: 'escalation_claim',
    value: claim!.value!,
    user_id: ADMIN,
    channel_id: 'C0BILLING',
    message_ts: message!.ts,
    message,
    response_url: t.fake.responseUrl(),
  });
  const card = await t.fake.waitForCall('chat.update', (c) => c.args.channel === 'C0BILLING');

  // A second, quick one waits in the queue; Home lists both.
  await t.driver.command({ command: '/escalate', text: 'billing urgent Refund missing for Globex', user_id: SAM });
  await eventually(async () => {
    const [row] = await t.deps.db
      .select()
      .from(escalations)
      .where(eq(escalations.summary, 'Refund missing for Globex'));
    return row?.messageUrl ?? undefined;
  }, 'the quick escalation’s link');
  t.clock.advanceMinutes(25);
  await t.deps.home.publish(ADMIN);
  const home = await t.fake.waitForCall('views.publish', (c) => c.args.user_id === ADMIN);

  await frontline('set digest-channel <#C0LEADERS|cs-leaders>');
  await frontline('digest send');
  const digest = await eventually(
    () =>
      t.fake.calls.filter(
        (c) =>
          (c.method === 'chat.postMessage' && c.args.channel === 'C0LEADERS') ||
          (c.method === 'files.completeUploadExternal' && c.args.channel_id === 'C0LEADERS'),
      ),
    'the digest in its channel',
  );

  const files = Object.fromEntries(
    [...t.fake.uploads].map(([id, bytes]) => {
      const file = join(mkdtempSync(join(tmpdir(), 'frontline-chart-')), `${id}.png`);
      writeFileSync(file, bytes);
      return [id, file];
    }),
  );
  const settings = { _names: NAMES, _files: files, _tz: 'Europe/London' };
  if (ALL_CALLS)
    writeFileSync(
      ALL_CALLS,
      [settings, ...t.fake.calls.map((c, i) => item(String(i), c))].map((l) => JSON.stringify(l)).join('\n'),
    );

  const shots: [string, ReturnType<typeof item>][] = [
    ['escalation-card', item('escalation card', card)],
    ['app-home', item('App Home', home, ADMIN)],
    ...digest.map((c, i): [string, ReturnType<typeof item>] => [
      // When the chart comes as its own message, it gets its own picture.
      c.method === 'files.completeUploadExternal' ? 'digest-chart' : i === 0 ? 'digest' : `digest-${i + 1}`,
      item('digest', c),
    ]),
  ];
  const work = mkdtempSync(join(tmpdir(), 'frontline-screenshots-'));
  const input = join(work, 'items.jsonl');
  writeFileSync(input, [settings, ...shots.map(([, i]) => i)].map((l) => JSON.stringify(l)).join('\n'));
  execFileSync(
    process.execPath,
    [RENDERER, input, join(work, 'png'), '--no-notes', '--emoji', 'unicode', '--scale', '2'],
    {
      stdio: 'inherit',
    },
  );
  const rendered = readdirSync(join(work, 'png'))
    .filter((f) => f.endsWith('.png'))
    .sort();
  expect(rendered).toHaveLength(shots.length);
  mkdirSync(OUT, { recursive: true });
  shots.forEach(([name], i) =>
    writeFileSync(join(OUT, `${name}.png`), withoutRendererHeader(readFileSync(join(work, 'png', rendered[i]!)))),
  );
});
