// Shared steps for the rotation end-to-end tests: run /shadow, set a rotation up through the modal.
import { and, asc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { ROTATION_IDS as IDS } from '../../src/rotations/rotations.ids.ts';
import { rotations, shadowSessions } from '../../src/rotations/rotations.table.ts';
import { HOST_MESSAGE, SESSIONS_MESSAGE } from '../../src/rotations/sessions.messages.ts';
import { createSessionsRepository } from '../../src/rotations/sessions.repository.ts';
import { eventually } from '../support/outcomes.ts';
import { field, stateValues } from '../support/payloads.ts';
import { ADMIN, type TestApp } from '../support/test-app.ts';

/** Runs `/shadow <text>` as `user` and returns the private reply's text. */
export async function shadow(t: TestApp, text: string, user = ADMIN): Promise<string> {
  const url = t.fake.responseUrl();
  const res = await t.driver.command({ command: '/shadow', text, user_id: user, response_url: url });
  expect(res.status).toBe(200);
  const reply = await t.fake.waitForResponse((r) => url.endsWith(`/${r.id}`));
  return reply.body.text as string;
}

export interface SetupInput {
  name: string;
  users?: string[];
  hosts?: string[];
  usergroup?: string;
  weekday?: string;
  startTime?: string;
  timezone?: string;
  shadows?: string;
  planAhead?: string;
  cadence?: string;
}

export const setupValues = (i: SetupInput) =>
  stateValues({
    [IDS.name]: field.text(i.name),
    [IDS.users]: field.users(i.users ?? []),
    [IDS.hosts]: field.users(i.hosts ?? ['UHOST01']),
    ...(i.usergroup ? { [IDS.usergroup]: field.select(i.usergroup) } : {}),
    [IDS.cadence]: field.select(i.cadence ?? 'weekly'),
    [IDS.weekday]: field.select(i.weekday ?? '3'),
    [IDS.startTime]: field.time(i.startTime ?? '14:00'),
    [IDS.duration]: field.number('60'),
    [IDS.timezone]: field.select(i.timezone ?? 'Europe/Paris'),
    [IDS.shadows]: field.number(i.shadows ?? '1'),
    [IDS.planAhead]: field.number(i.planAhead ?? '4'),
  });

/** Submits the setup modal as an admin and waits for the confirmation DM (planning done by then). */
export async function setUpRotation(t: TestApp, input: SetupInput, user = ADMIN) {
  const res = await t.driver.viewSubmission({ callback_id: IDS.setupModal, values: setupValues(input), user_id: user });
  expect(res.body).toBe('');
  await t.fake.waitForCall(
    'chat.postMessage',
    (c) => c.args.channel === user && String(c.args.text).includes(`*${input.name}*`),
    10_000,
  );
  const [rotation] = await t.deps.db.select().from(rotations).where(eq(rotations.name, input.name));
  return rotation!;
}

/** Seats of a rotation, soonest first. */
export const seatsOf = (t: TestApp, rotationId: number, status?: string) =>
  t.deps.db
    .select()
    .from(shadowSessions)
    .where(
      and(eq(shadowSessions.rotationId, rotationId), status ? eq(shadowSessions.status, status as never) : undefined),
    )
    .orderBy(asc(shadowSessions.startsAt), asc(shadowSessions.seat));

/** The DMs (chat.postMessage to a user id) a person got. */
export const dmsTo = (t: TestApp, user: string) =>
  t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user);

interface MessageBlock {
  type: string;
  text?: { text: string };
  elements?: { text: string | { text: string }; value?: string }[];
}

/** A message as a reader sees it: what its blocks say, and its buttons' labels per session id. */
export interface ShownMessage {
  channel: string;
  ts: string;
  /** The plain-text fallback: what notifications show. */
  fallback: string;
  /** The fallback, then every section and context line. */
  text: string;
  blocks: MessageBlock[];
  /** The session ids the buttons act on, in order, each once. */
  buttonValues: string[];
  buttonsFor(sessionId: number): string[];
}

/** The message as it now stands in (fake) Slack, where the app stored it for `mirror` and `ref`. */
async function storedMessage(t: TestApp, mirror: string, ref: string): Promise<ShownMessage> {
  const stored = await eventually(() => createSessionsRepository(t.deps).message(mirror, ref), `${mirror} ${ref}`);
  const message = t.fake.getMessage(stored.channel, stored.ts);
  if (!message) throw new Error(`${mirror} ${ref} is not in Slack`);
  const blocks = (message.blocks ?? []) as MessageBlock[];
  const lines = blocks.flatMap((b) =>
    b.type === 'actions' ? [] : [b.text?.text ?? '', ...(b.elements ?? []).map((e) => String(e.text))],
  );
  const buttons = blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
  return {
    channel: stored.channel,
    ts: stored.ts,
    fallback: String(message.text),
    text: [String(message.text), ...lines].join('\n'),
    blocks,
    buttonValues: [...new Set(buttons.map((e) => e.value ?? ''))],
    buttonsFor: (id) => buttons.filter((e) => e.value === String(id)).map((e) => (e.text as { text: string }).text),
  };
}

/** A person's one message about their shadow sessions, as it now stands. */
export const sessionsMessageOf = (t: TestApp, userId: string) => storedMessage(t, SESSIONS_MESSAGE, userId);

/** A host's message about one session, as it now stands. */
export const hostMessageOf = (t: TestApp, seat: { rotationId: number; startsAt: Date }, hostId: string) =>
  storedMessage(t, HOST_MESSAGE, `${seat.rotationId}:${seat.startsAt.getTime()}:${hostId}`);
