// Saving answers by hand: the Save as answer shortcut and the answer emoji on a thread reply.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { KNOWLEDGE_IDS as IDS } from '../../src/knowledge/knowledge.ids.ts';
import { answers } from '../../src/knowledge/knowledge.table.ts';
import { eventually } from '../support/outcomes.ts';
import { field, stateValues } from '../support/payloads.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
const answerFrom = async (channel: string, ts: string) =>
  (
    await t.deps.db
      .select()
      .from(answers)
      .where(eq(answers.sourceId, `${channel}:${ts}`))
  )[0];

const QUESTION = { ts: '1772445600.000100', user: 'U0ASKER', text: 'How do I give a customer a second invoice copy?' };
const REPLY = {
  ts: '1772445700.000200',
  thread_ts: QUESTION.ts,
  user: 'U0EXPERT',
  text: 'Billing &gt; Invoices, then *Download PDF* &amp; send it.',
};

const formValues = (v: { title: string; body: string; shareable?: string[] }) =>
  stateValues({
    [`${IDS.titleBlock}/${IDS.titleInput}`]: field.text(v.title),
    [`${IDS.bodyBlock}/${IDS.bodyInput}`]: field.text(v.body),
    ...(v.shareable ? { [`${IDS.shareableBlock}/${IDS.shareableInput}`]: field.checkboxes(v.shareable) } : {}),
  });

describe('the Save as answer shortcut', () => {
  it('opens a form prefilled with the thread question and the reply, and saves it crediting the author, once', async () => {
    t.fake.addMessage('C0SUPPORT', QUESTION);
    t.fake.addMessage('C0SUPPORT', REPLY);
    await t.driver.messageShortcut({
      callback_id: IDS.saveShortcut,
      message: REPLY,
      channel_id: 'C0SUPPORT',
      user_id: 'U0SAVER',
    });
    const view = (await t.fake.waitForCall('views.open')).args.view as any;
    const initial = (block: string) => view.blocks.find((b: any) => b.block_id === block)?.element.initial_value;
    expect(initial(IDS.titleBlock)).toBe(QUESTION.text);
    expect(initial(IDS.bodyBlock)).toBe('Billing > Invoices, then *Download PDF* & send it.');
    expect(view.blocks.some((b: any) => b.block_id === IDS.shareableBlock)).toBe(false); // a public channel
    expect(JSON.stringify(view.blocks)).toContain('credits <@U0EXPERT>');

    const submit = () =>
      t.driver.viewSubmission({
        callback_id: IDS.saveModal,
        private_metadata: view.private_metadata,
        user_id: 'U0SAVER',
        values: formValues({ title: initial(IDS.titleBlock), body: initial(IDS.bodyBlock) }),
      });
    expect((await submit()).status).toBe(200);
    const told = await t.fake.waitForCall('chat.postEphemeral');
    expect(told.args).toMatchObject({ channel: 'C0SUPPORT', user: 'U0SAVER' });
    expect(String(told.args.text)).toContain('crediting <@U0EXPERT>');
    expect(await answerFrom('C0SUPPORT', REPLY.ts)).toMatchObject({
      title: QUESTION.text,
      body: 'Billing > Invoices, then *Download PDF* & send it.',
      sourceKind: 'message',
      creditedUserIds: ['U0EXPERT'],
      createdBy: 'U0SAVER',
      permalink: expect.stringContaining('/archives/C0SUPPORT/'),
    });

    const again = await submit();
    expect(again.body.errors[IDS.titleBlock]).toContain('already saved');
  });

  it('asks for the question when the message is not a reply, and refuses an empty one', async () => {
    const message = {
      ts: '1772445800.000300',
      user: 'U0EXPERT',
      text: 'Tip: VAT numbers show on invoices issued after they are added.',
    };
    await t.driver.messageShortcut({
      callback_id: IDS.saveShortcut,
      message,
      channel_id: 'C0SUPPORT',
      user_id: 'U0SAVER',
    });
    const view = (await t.fake.waitForCall('views.open')).args.view as any;
    expect(view.blocks.find((b: any) => b.block_id === IDS.titleBlock).element.initial_value).toBeUndefined();
    const res = await t.driver.viewSubmission({
      callback_id: IDS.saveModal,
      private_metadata: view.private_metadata,
      user_id: 'U0SAVER',
      values: formValues({ title: ' ', body: message.text }),
    });
    expect(res.body.errors[IDS.titleBlock]).toContain('Write the question');
    expect(await answerFrom('C0SUPPORT', message.ts)).toBeUndefined();
  });

  it('saves a message from a private channel only once the saver ticks that it may be shared', async () => {
    t.fake.setChannel({ id: 'G0PRIVATE', is_private: true });
    const message = { ts: '1772445900.000400', user: 'U0EXPERT', text: 'Refunds over 500 need a manager.' };
    await t.driver.messageShortcut({
      callback_id: IDS.saveShortcut,
      message,
      channel_id: 'G0PRIVATE',
      user_id: 'U0SAVER',
    });
    const view = (await t.fake.waitForCall('views.open')).args.view as any;
    const submit = (shareable: string[]) =>
      t.driver.viewSubmission({
        callback_id: IDS.saveModal,
        private_metadata: view.private_metadata,
        user_id: 'U0SAVER',
        values: formValues({ title: 'Who approves large refunds?', body: message.text, shareable }),
      });
    expect((await submit([])).body.errors[IDS.shareableBlock]).toContain('everyone in the company may read it');
    expect(await answerFrom('G0PRIVATE', message.ts)).toBeUndefined();
    expect((await submit(['yes'])).status).toBe(200);
    await eventually(() => answerFrom('G0PRIVATE', message.ts), 'the answer saved');
  });
});

describe('the answer emoji', () => {
  const react = (channel: string, ts: string, reaction = 'book', user = 'U0REACTOR') =>
    t.driver.event({
      type: 'reaction_added',
      user,
      reaction,
      item_user: 'U0EXPERT',
      item: { type: 'message', channel, ts },
      event_ts: ts,
    });

  it('saves a thread reply as the answer to the thread’s first message, once however many react', async () => {
    const question = { ts: '1772446000.000100', user: 'U0ASKER', text: 'Can we ship card readers to Norway?' };
    const reply = {
      ts: '1772446100.000200',
      thread_ts: question.ts,
      user: 'U0OPS',
      text: 'Not yet: EU, UK, US and Canada only.',
    };
    t.fake.addMessage('C0OPS', question);
    t.fake.addMessage('C0OPS', reply);
    await Promise.all([react('C0OPS', reply.ts), react('C0OPS', reply.ts, 'book', 'U0OTHER')]);
    const answer = await eventually(() => answerFrom('C0OPS', reply.ts), 'the answer saved');
    expect(answer).toMatchObject({ title: question.text, body: reply.text, creditedUserIds: ['U0OPS'] });
    // The one for this answer: the test before may still be telling its saver.
    const told = await t.fake.waitForCall('chat.postEphemeral', (c) => String(c.args.text).includes('Norway'));
    expect(String(told.args.text)).toContain('Saved as the answer to “Can we ship card readers to Norway?”');
  });

  it('ignores the emoji on a message that is not a reply, and on other emoji', async () => {
    const message = { ts: '1772446200.000100', user: 'U0ASKER', text: 'Reading list for the team' };
    t.fake.addMessage('C0OPS', message);
    await react('C0OPS', message.ts);
    await react('C0OPS', message.ts, 'tada');
    await new Promise((r) => setTimeout(r, 300));
    expect(await answerFrom('C0OPS', message.ts)).toBeUndefined();
    expect(t.fake.callsTo('chat.postEphemeral')).toHaveLength(0);
  });

  it('saves nothing from a private conversation and says how to share it', async () => {
    t.fake.setChannel({ id: 'G0SECRET', is_private: true });
    const question = { ts: '1772446300.000100', user: 'U0ASKER', text: 'What is the discount for Acme?' };
    const reply = { ts: '1772446400.000200', thread_ts: question.ts, user: 'U0SALES', text: '20% this year.' };
    t.fake.addMessage('G0SECRET', question);
    t.fake.addMessage('G0SECRET', reply);
    await react('G0SECRET', reply.ts);
    const told = await t.fake.waitForCall('chat.postEphemeral');
    expect(String(told.args.text)).toContain('This conversation is private, so nothing was saved');
    expect(await answerFrom('G0SECRET', reply.ts)).toBeUndefined();
  });
});
