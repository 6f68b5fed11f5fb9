// Helping: "I can help" (first claims, others join, clicks at once settle), "Solved" and the thanks.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHelpRequestsRepository } from '../../src/help-requests/help-requests.repository.ts';
import { helpKudos, helpRequestHelpers } from '../../src/help-requests/help-requests.table.ts';
import { eventually } from '../support/outcomes.ts';
import { field, stateValues } from '../support/payloads.ts';
import {
  ask,
  click,
  dmsTo,
  HELP_CHANNEL,
  postedMessage,
  requestAskedBy,
  useHelpTestApp,
  waitCall,
  waitResponse,
} from './help-test-helpers.ts';

const t = useHelpTestApp();
const repo = () => createHelpRequestsRepository(t.deps);

beforeEach(async () => {
  await t.deps.workspace.helpChannel.set(HELP_CHANNEL);
});

/** Asks a question as `asker` and returns the stored, posted request. */
async function asked(asker: string, question = `What is our refund window for annual plans, ${asker}?`) {
  await ask(t, question, asker);
  return requestAskedBy(t, asker);
}

const helpersOf = async (requestId: number) =>
  (await t.deps.db.select().from(helpRequestHelpers).where(eq(helpRequestHelpers.requestId, requestId)))
    .map((h) => [h.userId, h.role])
    .sort();

describe('I can help', () => {
  it('lets the first helper claim it, shows them on the message and tells the asker', async () => {
    const request = await asked('U0ASK01');
    expect((await click(t, 'help_claim', request, 'U0HELP1')).status).toBe(200);
    const dm = await waitCall(t, 'chat.postMessage', (c) => c.args.channel === 'U0ASK01');
    expect(dm.args.text).toContain('<@U0HELP1> can help with <https://example.slack.com/archives/C0HELP/p');
    await waitCall(t, 'chat.update');
    expect(JSON.stringify(postedMessage(t, request).blocks)).toContain('<@U0HELP1> is helping');
    expect(await repo().get(request.id)).toMatchObject({
      status: 'claimed',
      firstHelperId: 'U0HELP1',
      firstHelpedAt: t.clock.now(),
    });
  });

  it('adds later helpers as extras, and a double click or a retry changes nothing', async () => {
    const request = await asked('U0ASK02');
    await click(t, 'help_claim', request, 'U0HELP1');
    await waitCall(t, 'chat.update');
    await click(t, 'help_claim', request, 'U0HELP2');
    await waitCall(t, 'chat.update', (c) => JSON.stringify(c.args.blocks).includes('with <@U0HELP2>'));
    const url = t.fake.responseUrl();
    await t.driver.blockAction(
      {
        action_id: 'help_claim',
        value: String(request.id),
        user_id: 'U0HELP2',
        channel_id: HELP_CHANNEL,
        message_ts: request.messageTs!,
        response_url: url,
      },
      { retryNum: 1 },
    );
    const reply = await waitResponse(t, (r) => url.endsWith(`/${r.id}`));
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('already helping') });
    expect(await helpersOf(request.id)).toEqual([
      ['U0HELP1', 'first'],
      ['U0HELP2', 'extra'],
    ]);
    // The asker's DM goes out after the card is updated: on a busy machine it may land after the retry's answer.
    await waitCall(
      t,
      'chat.postMessage',
      (c) => c.args.channel === 'U0ASK02' && String(c.args.text).includes('U0HELP2'),
    );
    expect(dmsTo(t, 'U0ASK02').filter((text) => text.includes('U0HELP2'))).toHaveLength(1);
  });

  it('settles two people clicking at once on exactly one first helper', async () => {
    const request = await asked('U0ASK03');
    const results = await Promise.all(
      ['U0RACE1', 'U0RACE2', 'U0RACE1', 'U0RACE2'].map((user) => click(t, 'help_claim', request, user)),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await waitCall(
      t,
      'chat.postMessage',
      (c) => c.args.channel === 'U0ASK03' && String(c.args.text).includes('also offered'),
    );
    await waitCall(
      t,
      'chat.postMessage',
      (c) => c.args.channel === 'U0ASK03' && String(c.args.text).includes('can help with'),
    );
    // A click whose message update finds another click's send under way leaves it to that sender,
    // which draws the message again once its own send is done: the DM may come first.
    const shown = await eventually(() => {
      const blocks = JSON.stringify(postedMessage(t, request).blocks);
      return blocks.includes('<@U0RACE2>') ? blocks : undefined;
    }, 'the message naming both helpers');
    expect(shown).toContain('<@U0RACE1>');
    const rows = await helpersOf(request.id);
    expect(rows).toHaveLength(2);
    expect(rows.filter(([, role]) => role === 'first')).toHaveLength(1);
    const stored = await repo().get(request.id);
    expect(rows).toContainEqual([stored?.firstHelperId, 'first']);
    expect(dmsTo(t, 'U0ASK03').filter((text) => text.includes('can help with'))).toHaveLength(1);
  });

  it('tells the asker they cannot claim their own question', async () => {
    const request = await asked('U0ASK04');
    const url = t.fake.responseUrl();
    await t.driver.blockAction({
      action_id: 'help_claim',
      value: String(request.id),
      user_id: 'U0ASK04',
      channel_id: HELP_CHANNEL,
      message_ts: request.messageTs!,
      response_url: url,
    });
    expect((await waitResponse(t, (r) => url.endsWith(`/${r.id}`))).body.text).toContain('That is your own question');
    expect(await helpersOf(request.id)).toEqual([]);
  });

  it('refuses a button that points at no request', async () => {
    const url = t.fake.responseUrl();
    await t.driver.blockAction({
      action_id: 'help_claim',
      value: 'not-a-number',
      user_id: 'U0HELP1',
      channel_id: HELP_CHANNEL,
      response_url: url,
    });
    expect((await waitResponse(t, (r) => url.endsWith(`/${r.id}`))).body.text).toContain(
      'does not point at a help request',
    );
  });
});

describe('Solved', () => {
  it('refuses people who neither asked nor helped', async () => {
    const request = await asked('U0ASK05');
    const url = t.fake.responseUrl();
    await t.driver.blockAction({
      action_id: 'help_solve',
      value: String(request.id),
      user_id: 'U0STRANGER',
      channel_id: HELP_CHANNEL,
      message_ts: request.messageTs!,
      response_url: url,
    });
    const reply = await waitResponse(t, (r) => url.endsWith(`/${r.id}`));
    expect(reply.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Only the person who asked or someone helping'),
    });
    expect(t.fake.callsTo('views.open')).toHaveLength(0);
    expect((await repo().get(request.id))?.status).toBe('open');
  });

  it('asks who helped most (prefilled with the helpers), then marks it solved, thanks helpers and counts kudos once', async () => {
    const request = await asked('U0ASK06');
    await click(t, 'help_claim', request, 'U0KIND1');
    await waitCall(t, 'chat.update');
    await click(t, 'help_claim', request, 'U0KIND2');
    await waitCall(t, 'chat.update', (c) => JSON.stringify(c.args.blocks).includes('U0KIND2'));

    await click(t, 'help_solve', request, 'U0ASK06');
    const open = await waitCall(t, 'views.open');
    const view = open.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { element?: { initial_users?: string[] } }[];
    };
    expect(view.callback_id).toBe('help_solve_modal');
    expect(view.blocks.find((b) => b.element?.initial_users)?.element?.initial_users).toEqual(['U0KIND1', 'U0KIND2']);

    const submission = {
      callback_id: 'help_solve_modal',
      user_id: 'U0ASK06',
      private_metadata: view.private_metadata,
      values: stateValues({
        'help_top_helpers/top_helpers': field.users(['U0KIND2']),
        'help_note/note': field.text('The proration trick worked, thanks!'),
      }),
    };
    expect((await t.driver.viewSubmission(submission)).status).toBe(200);
    await waitCall(t, 'chat.postMessage', (c) => c.args.channel === 'U0KIND1');
    await waitCall(t, 'chat.postMessage', (c) => c.args.channel === 'U0KIND2');
    expect((await t.driver.viewSubmission(submission)).status).toBe(200);

    const stored = await repo().get(request.id);
    expect(stored).toMatchObject({
      status: 'solved',
      solvedBy: 'U0ASK06',
      solveNote: 'The proration trick worked, thanks!',
    });
    const message = postedMessage(t, request);
    expect(message.text).toContain('[Solved]');
    const json = JSON.stringify(message.blocks);
    expect(json).toContain('*Solved*');
    expect(json).not.toContain('help_claim');
    expect(dmsTo(t, 'U0KIND2')).toEqual([expect.stringContaining('kudos!')]);
    expect(dmsTo(t, 'U0KIND1')).toEqual([expect.stringContaining('Thank you for helping <@U0ASK06>')]);
    expect(dmsTo(t, 'U0KIND1')[0]).toContain('The proration trick worked');
    expect(await t.deps.db.select().from(helpKudos).where(eq(helpKudos.requestId, request.id))).toMatchObject([
      { userId: 'U0KIND2', givenBy: 'U0ASK06' },
    ]);
    expect(await repo().kudosCount('U0KIND2')).toBe(1);
    expect(await repo().kudosCount('U0KIND1')).toBe(0);
    // The second submit was a double submit: no "already solved" complaint to the asker.
    expect(dmsTo(t, 'U0ASK06').filter((text) => text.includes('already solved'))).toEqual([]);
  });

  it('lets a helper mark it solved and tells the asker; a later click says it is already solved', async () => {
    const request = await asked('U0ASK07');
    await click(t, 'help_claim', request, 'U0KIND3');
    await waitCall(t, 'chat.update');
    await click(t, 'help_solve', request, 'U0KIND3');
    const open = await waitCall(t, 'views.open');
    await t.driver.viewSubmission({
      callback_id: 'help_solve_modal',
      user_id: 'U0KIND3',
      private_metadata: (open.args.view as { private_metadata: string }).private_metadata,
      values: stateValues({ 'help_top_helpers/top_helpers': field.users(['U0KIND3']) }),
    });
    await waitCall(
      t,
      'chat.postMessage',
      (c) => c.args.channel === 'U0ASK07' && String(c.args.text).includes('marked'),
    );
    expect((await repo().get(request.id))?.status).toBe('solved');

    const url = t.fake.responseUrl();
    await t.driver.blockAction({
      action_id: 'help_solve',
      value: String(request.id),
      user_id: 'U0ASK07',
      channel_id: HELP_CHANNEL,
      message_ts: request.messageTs!,
      response_url: url,
    });
    expect((await waitResponse(t, (r) => url.endsWith(`/${r.id}`))).body.text).toContain('already solved');
  });

  it('solves once when the asker and a helper submit Solved at the same moment', async () => {
    const request = await asked('U0ASK09');
    await click(t, 'help_claim', request, 'U0KIND4');
    await waitCall(t, 'chat.update');
    const submit = (user: string) =>
      t.driver.viewSubmission({
        callback_id: 'help_solve_modal',
        user_id: user,
        private_metadata: String(request.id),
        values: stateValues({ 'help_top_helpers/top_helpers': field.users(['U0KIND4']) }),
      });
    await Promise.all([submit('U0ASK09'), submit('U0KIND4')]);
    await waitCall(t, 'chat.update', (c) => String(c.args.text).startsWith('[Solved]'));
    const stored = await repo().get(request.id);
    expect(stored?.status).toBe('solved');
    // Whoever won, the thank-you and the kudos happen once.
    if (stored?.solvedBy === 'U0ASK09') await waitCall(t, 'chat.postMessage', (c) => c.args.channel === 'U0KIND4');
    else await waitCall(t, 'chat.postMessage', (c) => c.args.channel === 'U0ASK09');
    expect(t.fake.callsTo('chat.update').filter((c) => String(c.args.text).startsWith('[Solved]'))).toHaveLength(1);
    expect(await repo().kudosCount('U0KIND4')).toBe(1);
  });

  it('refuses a bad solve submission next to the field and changes nothing', async () => {
    const request = await asked('U0ASK08');
    const res = await t.driver.viewSubmission({
      callback_id: 'help_solve_modal',
      user_id: 'U0ASK08',
      private_metadata: String(request.id),
      values: stateValues({ 'help_note/note': field.text('x'.repeat(501)) }),
    });
    expect(res.body).toMatchObject({
      response_action: 'errors',
      errors: { help_note: expect.stringContaining('500') },
    });
    expect((await repo().get(request.id))?.status).toBe('open');
  });
});
