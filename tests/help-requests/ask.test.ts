// Asking the company: /ask with text, with a topic, with no text (modal), from a message, and the refusals.
import { describe, expect, it } from 'vitest';
import { createDepartmentsRepository } from '../../src/departments/departments.repository.ts';
import { helpRequests } from '../../src/help-requests/help-requests.table.ts';
import { field, stateValues } from '../support/payloads.ts';
import { ADMIN } from '../support/test-app.ts';
import {
  ask,
  command,
  HELP_CHANNEL,
  postedMessage,
  requestAskedBy,
  useHelpTestApp,
  waitCall,
} from './help-test-helpers.ts';

const t = useHelpTestApp();
const countRequests = async () => (await t.deps.db.select().from(helpRequests)).length;
const setHelpChannel = () => t.deps.workspace.helpChannel.set(HELP_CHANNEL);

describe('/ask without a help channel', () => {
  it('tells the asker how admins set one, shows their words back and stores nothing', async () => {
    const reply = await ask(t, 'How do I refund a partial order?', 'U0NOCHAN');
    expect(reply).toContain('/frontline set help-channel #help');
    expect(reply).toContain('>How do I refund a partial order?');
    expect(await countRequests()).toBe(0);
    expect(t.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('keeps the modal open with the reason next to the question', async () => {
    const res = await t.driver.viewSubmission({
      callback_id: 'help_ask',
      user_id: 'U0NOCHAN',
      private_metadata: '{}',
      values: stateValues({
        'help_question/question': field.text('Where is the VPN guide?'),
        'help_urgency/urgency': field.select('normal'),
      }),
    });
    expect(res.body).toMatchObject({
      response_action: 'errors',
      errors: { help_question: expect.stringContaining('/frontline set help-channel #help') },
    });
    expect(await countRequests()).toBe(0);
  });
});

describe('/ask <question>', () => {
  it('posts the question to the help channel, credited to the asker, with the two buttons', async () => {
    // Set the channel the way an admin does.
    expect((await command(t, '/frontline', `set help-channel <#${HELP_CHANNEL}|help>`, ADMIN)).text).toContain(
      `<#${HELP_CHANNEL}>`,
    );
    const reply = await ask(t, 'How do I extend a trial by a week?', 'U0ASKER1');
    expect(reply).toContain(`Asked in <#${HELP_CHANNEL}>`);
    expect(reply).toContain('https://example.slack.com/archives/C0HELP/p');

    const request = await requestAskedBy(t, 'U0ASKER1');
    expect(request).toMatchObject({
      question: 'How do I extend a trial by a week?',
      status: 'open',
      channelId: HELP_CHANNEL,
      topic: null,
      urgency: 'normal',
    });
    const message = postedMessage(t, request);
    expect(message.text).toContain('<@U0ASKER1> asks for help: How do I extend a trial by a week?');
    const json = JSON.stringify(message.blocks);
    expect(json).toContain('*<@U0ASKER1> asks:*');
    expect(json).toContain('"action_id":"help_claim"');
    expect(json).toContain('I can help');
    expect(json).toContain('"action_id":"help_solve"');
  });

  it('mentions a department’s leads for `/ask <department>: …`', async () => {
    await setHelpChannel();
    await createDepartmentsRepository(t.deps).upsert({
      key: 'billing',
      name: 'Billing',
      channelId: 'C0BILL',
      leads: ['U0MARIA', 'U0SAM'],
    });
    expect(await ask(t, 'billing: Why was Acme charged twice?', 'U0ASKER2')).toContain(
      'mentioning <@U0MARIA> <@U0SAM>',
    );
    const request = await requestAskedBy(t, 'U0ASKER2');
    expect(request).toMatchObject({
      topic: 'billing',
      question: 'Why was Acme charged twice?',
      topicPeople: ['U0MARIA', 'U0SAM'],
    });
    expect(JSON.stringify(postedMessage(t, request).blocks)).toContain('<@U0MARIA> <@U0SAM>: you know *billing*');
  });

  it('mentions the experts for `/ask <skill>: …`, and treats an unknown word before a colon as part of the question', async () => {
    await setHelpChannel();
    await command(t, '/frontline', 'skills add SQL, data science', 'U0EXPERT');
    await ask(t, 'Data Science: which churn model do we trust?', 'U0ASKER3');
    const request = await requestAskedBy(t, 'U0ASKER3');
    expect(request).toMatchObject({ topic: 'data science', topicPeople: ['U0EXPERT'] });
    expect(JSON.stringify(postedMessage(t, request).blocks)).toContain('<@U0EXPERT>: you know *data science*');

    await ask(t, 'Note: the customer is on the legacy plan, what now?', 'U0ASKER4');
    expect(await requestAskedBy(t, 'U0ASKER4')).toMatchObject({
      topic: null,
      question: 'Note: the customer is on the legacy plan, what now?',
      topicPeople: [],
    });
  });

  it('posts once when Slack retries or the asker sends the same question twice', async () => {
    await setHelpChannel();
    const before = t.fake.callsTo('chat.postMessage').length;
    await ask(t, 'Who owns the status page?', 'U0TWICE');
    await command(t, '/ask', 'Who owns the status page?', 'U0TWICE', { retryNum: 1 });
    const again = await ask(t, 'Who owns the status page?', 'U0TWICE');
    expect(again).toContain('did not post it twice');
    expect(t.fake.callsTo('chat.postMessage').length - before).toBe(1);
    await requestAskedBy(t, 'U0TWICE');
  });

  it('answers `/ask help` with the forms of the command instead of posting it', async () => {
    await setHelpChannel();
    const before = await countRequests();
    const reply = await ask(t, 'help', 'U0HELPME');
    expect(reply).toContain('`/ask` _topic_: _question_');
    expect(reply).toContain('`/ask list`');
    expect(await countRequests()).toBe(before);
  });

  it('answers a too-short question with the usage and stores nothing', async () => {
    await setHelpChannel();
    const before = await countRequests();
    expect(await ask(t, 'hi', 'U0SHORT')).toContain('Usage: `/ask` _question_');
    expect(await countRequests()).toBe(before);
  });

  it('joins the help channel when it is not in it yet, and posts', async () => {
    await setHelpChannel();
    t.fake.failNext('chat.postMessage', { error: 'not_in_channel' });
    expect(await ask(t, 'Who knows the Zendesk macros?', 'U0JOINER')).toContain(`Asked in <#${HELP_CHANNEL}>`);
    expect(t.fake.lastCall('conversations.join')?.args).toMatchObject({ channel: HELP_CHANNEL });
    postedMessage(t, await requestAskedBy(t, 'U0JOINER'));
  });

  it('gives the question back when Slack will not take the post', async () => {
    await setHelpChannel();
    t.fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    const reply = await ask(t, 'Can anyone read Portuguese invoices?', 'U0FAILED');
    expect(reply).toContain('could not post your question');
    expect(reply).toContain('>Can anyone read Portuguese invoices?');
  });
});

describe('asking through the modal', () => {
  it('opens the modal for `/ask` alone', async () => {
    expect((await t.driver.command({ command: '/ask', text: '', user_id: 'U0MODAL1' })).status).toBe(200);
    const open = await waitCall(t, 'views.open');
    expect((open.args.view as { callback_id: string }).callback_id).toBe('help_ask');
    const blocks = JSON.stringify((open.args.view as { blocks: unknown }).blocks);
    for (const label of ['Your question', 'Context', 'Urgency', 'Customer']) expect(blocks).toContain(label);
  });

  it('posts a submitted question with context, urgency and customer, once even if submitted twice', async () => {
    await setHelpChannel();
    const submission = {
      callback_id: 'help_ask',
      user_id: 'U0MODAL2',
      view_id: 'V0ASKONCE',
      private_metadata: JSON.stringify({ sourcePermalink: null }),
      values: stateValues({
        'help_question/question': field.text('billing: Can we waive the late fee? <!channel>'),
        'help_context/context': field.text('Customer paid 2 days late because of a bank holiday.'),
        'help_urgency/urgency': field.select('urgent'),
        'help_customer/customer': field.text('Acme Corp'),
      }),
    };
    expect((await t.driver.viewSubmission(submission)).status).toBe(200);
    await waitCall(t, 'chat.postMessage', (c) => c.args.channel === 'U0MODAL2');
    expect((await t.driver.viewSubmission(submission)).status).toBe(200);
    const request = await requestAskedBy(t, 'U0MODAL2');
    expect(request).toMatchObject({
      topic: 'billing',
      question: 'Can we waive the late fee? <!channel>',
      urgency: 'urgent',
      customer: 'Acme Corp',
      context: 'Customer paid 2 days late because of a bank holiday.',
    });
    const json = JSON.stringify(postedMessage(t, request).blocks);
    expect(json).toContain('Urgency: *Urgent*');
    expect(json).toContain('Customer: *Acme Corp*');
    expect(json).toContain('Customer paid 2 days late');
    expect(json).toContain('Can we waive the late fee? @channel');
    expect(json).not.toContain('<!channel>');
  });

  it('puts errors next to the bad fields and stores nothing', async () => {
    await setHelpChannel();
    const before = await countRequests();
    const res = await t.driver.viewSubmission({
      callback_id: 'help_ask',
      user_id: 'U0MODAL3',
      values: stateValues({
        'help_question/question': field.text(' '),
        'help_urgency/urgency': field.select('whenever'),
        'help_customer/customer': field.text('x'.repeat(121)),
      }),
    });
    expect(res.body).toMatchObject({
      response_action: 'errors',
      errors: {
        help_question: 'Write the question you need help with',
        help_urgency: 'Pick low, normal, high or urgent',
        help_customer: expect.stringContaining('120'),
      },
    });
    expect(await countRequests()).toBe(before);
  });

  it('opens the modal from the "Ask the company" message shortcut, prefilled with the message and its link', async () => {
    await setHelpChannel();
    await t.driver.messageShortcut({
      callback_id: 'ask_message',
      channel_id: 'C0SUPPORT',
      user_id: 'U0SHORTC',
      message: { ts: '1700000000.000100', text: 'Customer says the export button is greyed out', user: 'U0CUST' },
    });
    const open = await waitCall(t, 'views.open');
    const view = open.args.view as { private_metadata: string; blocks: unknown[] };
    expect(JSON.stringify(view.blocks)).toContain('Customer says the export button is greyed out');
    const { sourcePermalink } = JSON.parse(view.private_metadata) as { sourcePermalink: string };
    expect(sourcePermalink).toBe('https://example.slack.com/archives/C0SUPPORT/p1700000000000100');

    await t.driver.viewSubmission({
      callback_id: 'help_ask',
      user_id: 'U0SHORTC',
      private_metadata: view.private_metadata,
      values: stateValues({
        'help_question/question': field.text('Customer says the export button is greyed out'),
        'help_urgency/urgency': field.select('high'),
      }),
    });
    await waitCall(t, 'chat.postMessage', (c) => c.args.channel === 'U0SHORTC');
    const request = await requestAskedBy(t, 'U0SHORTC');
    expect(request.sourcePermalink).toBe(sourcePermalink);
    expect(JSON.stringify(postedMessage(t, request).blocks)).toContain(`<${sourcePermalink}|Original message>`);
  });
});
