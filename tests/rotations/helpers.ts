// Shared steps for the rotation end-to-end tests: run /shadow, set a rotation up through the modal.
import { and, asc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { ROTATION_IDS as IDS } from '../../src/rotations/rotations.ids.ts';
import { rotations, shadowSessions } from '../../src/rotations/rotations.table.ts';
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
    [IDS.timezone]: field.text(i.timezone ?? 'Europe/Paris'),
    [IDS.shadows]: field.number(i.shadows ?? '1'),
    [IDS.planAhead]: field.number(i.planAhead ?? '4'),
  });

/** Submits the setup modal as an admin and waits for the confirmation DM (planning done by then). */
export async function setUpRotation(t: TestApp, input: SetupInput, user = ADMIN) {
  const res = await t.driver.viewSubmission({ callback_id: IDS.setupModal, values: setupValues(input), user_id: user });
  expect(res.body).toBe('');
  await t.fake.waitForCall('chat.postMessage', (c) => c.args.channel === user && String(c.args.text).includes(`*${input.name}*`), 10_000);
  const [rotation] = await t.deps.db.select().from(rotations).where(eq(rotations.name, input.name));
  return rotation!;
}

/** Seats of a rotation, soonest first. */
export const seatsOf = (t: TestApp, rotationId: number, status?: string) =>
  t.deps.db
    .select()
    .from(shadowSessions)
    .where(and(eq(shadowSessions.rotationId, rotationId), status ? eq(shadowSessions.status, status as never) : undefined))
    .orderBy(asc(shadowSessions.startsAt), asc(shadowSessions.seat));

/** The DMs (chat.postMessage to a user id) a person got. */
export const dmsTo = (t: TestApp, user: string) => t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user);
