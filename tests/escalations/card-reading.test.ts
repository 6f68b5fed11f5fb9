// The escalation card as its readers see it: only the fields that were given, and a question before Release.
import { beforeAll, describe, expect, it } from 'vitest';
import { escalationActionId } from '../../src/escalations/escalations.ids.ts';
import { useTestApp } from '../support/test-app.ts';
import { BILLING, click, messageOf, raised, seedDepartments } from './helpers.ts';

const t = useTestApp();
beforeAll(() => seedDepartments(t));

type Button = { action_id: string; confirm?: { title: { text: string }; confirm: { text: string } } };
const buttonsOf = (blocks: unknown) =>
  (blocks as { type: string; elements?: Button[] }[]).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));

describe('the escalation card', () => {
  it('leaves out the customer and conversation when nobody gave them', async () => {
    const e = await raised(t, 'Refund stuck, no details given');
    const card = JSON.stringify(messageOf(t, e)?.blocks);
    for (const gone of ['Customer', 'Conversation', 'not given', 'no link']) expect(card).not.toContain(gone);
    for (const shown of ['Priority', 'Raised by', 'Acknowledge by', 'Resolve by']) expect(card).toContain(shown);
  });

  it('asks before Release and Reassign, and only there', async () => {
    const e = await raised(t, 'Card declined twice');
    await click(t, escalationActionId('claim'), e, BILLING.leads[0]!);
    await t.fake.waitForCall('chat.update', (c) => JSON.stringify(c.args.blocks).includes('escalation_release'));
    const buttons = buttonsOf(messageOf(t, e)?.blocks);
    const release = buttons.find((b) => b.action_id === escalationActionId('release'));
    expect(release?.confirm).toMatchObject({
      title: { text: 'Release this escalation?' },
      confirm: { text: 'Release' },
    });
    expect(buttons.find((b) => b.action_id === escalationActionId('reassign'))?.confirm).toMatchObject({
      title: { text: 'Move to another team?' },
    });
    // Resolve and Put on hold can be undone or open a form that says what it does: no question before them.
    expect(buttons.filter((b) => b.confirm).map((b) => b.action_id)).toEqual([
      escalationActionId('release'),
      escalationActionId('reassign'),
    ]);
  });

  it('is listed on Home by its summary, which links to it, and how long it has waited', async () => {
    const e = await raised(t, 'Invoice sent to the wrong address');
    t.clock.advanceMinutes(5);
    await t.deps.home.publish(BILLING.leads[0]!);
    const home = JSON.stringify(
      (await t.fake.waitForCall('views.publish', (c) => c.args.user_id === BILLING.leads[0])).args.view,
    );
    expect(home).toContain(`<${e.messageUrl}|Invoice sent to the wrong address>`);
    expect(home).toContain('raised 5 min ago');
    expect(home).not.toContain('|open>');
  });
});
