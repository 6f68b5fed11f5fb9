// Seeing it: `/ask list` and the Help requests part of App Home.
import { beforeAll, describe, expect, it } from 'vitest';
import { ask, click, command, HELP_CHANNEL, requestAskedBy, useHelpTestApp, waitCall } from './help-test-helpers.ts';

const t = useHelpTestApp();

beforeAll(async () => {
  await t.deps.workspace.helpChannel.set(HELP_CHANNEL);
});

async function claimed(asker: string, question: string, helper: string) {
  await ask(t, question, asker);
  const request = await requestAskedBy(t, asker);
  await click(t, 'help_claim', request, helper);
  await waitCall(t, 'chat.update', (c) => c.args.ts === request.messageTs);
  return request;
}

describe('/ask list', () => {
  it('shows my open requests and open ones matching my skills, with links', async () => {
    await command(t, '/frontline', 'skills add invoices, sso', 'U0LISTER');
    await ask(t, 'How do I reissue an invoice?', 'U0LISTER');
    await ask(t, 'sso: Okta login loops for Acme', 'U0OTHER1');
    await ask(t, 'Where do I find the Invoices export?', 'U0OTHER2');
    await ask(t, 'Who can approve a discount?', 'U0OTHER3');

    const reply = await command(t, '/ask', 'list', 'U0LISTER');
    const [mine, couldHelp] = reply.text.split('Open requests you could help with:');
    expect(mine).toContain('|How do I reissue an invoice?>');
    expect(mine).toContain('<https://example.slack.com/archives/C0HELP/p');
    expect(couldHelp).toContain('Okta login loops for Acme');
    expect(couldHelp).toContain('Where do I find the Invoices export?');
    expect(couldHelp).not.toContain('approve a discount');
    expect(JSON.stringify(reply.blocks)).toContain('You could help with');

    // Once I offer to help, it is no longer a suggestion.
    const okta = await requestAskedBy(t, 'U0OTHER1');
    await click(t, 'help_claim', okta, 'U0LISTER');
    await waitCall(t, 'chat.update', (c) => c.args.ts === okta.messageTs);
    expect((await command(t, '/ask', 'list', 'U0LISTER')).text).not.toContain('Okta login loops');
  });

  it('suggests adding skills to someone with none, and drops solved requests', async () => {
    const request = await claimed('U0LIST2', 'Is there a sandbox for partners?', 'U0HELPS');
    await t.driver.viewSubmission({
      callback_id: 'help_solve_modal',
      user_id: 'U0LIST2',
      private_metadata: String(request.id),
    });
    await waitCall(t, 'chat.update', (c) => String(c.args.text).startsWith('[Solved]'));
    const reply = await command(t, '/ask', 'list', 'U0LIST2');
    expect(reply.text).not.toContain('sandbox for partners');
    expect(reply.text).toContain('`/frontline skills add` and a skill');
  });
});

describe('App Home', () => {
  it('shows the same overview and how many teammates I helped this month', async () => {
    // Last month's helping does not count this month.
    const thisMonth = t.clock.now();
    t.clock.set('2026-02-20T10:00:00Z');
    await claimed('U0FEB', 'Old question from February about exports?', 'U0HOMER');
    t.clock.set(thisMonth);
    await claimed('U0MAR1', 'How do refunds work for gift cards?', 'U0HOMER');
    await claimed('U0MAR2', 'Can we backdate a contract?', 'U0HOMER');
    await ask(t, 'What is the SLA for enterprise tickets?', 'U0HOMER');

    await t.driver.event({ type: 'app_home_opened', user: 'U0HOMER', channel: 'D0HOMER', tab: 'home' });
    const publish = await waitCall(t, 'views.publish', (c) => c.args.user_id === 'U0HOMER');
    const json = JSON.stringify(publish.args.view);
    expect(json).toContain('Help requests');
    expect(json).toContain('What is the SLA for enterprise tickets?');
    expect(json).toContain('You helped 2 teammates this month');
  });
});
