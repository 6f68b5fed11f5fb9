// Commands that remove something answer with a question and one button: this presses it.
import { expect } from 'vitest';
import type { TestApp } from './test-app.ts';

interface ReplyButton {
  type: string;
  action_id: string;
  value?: string;
  style?: string;
}

/** The danger button of a private reply, or undefined when the reply asks nothing. */
export function confirmButtonOf(body: Record<string, unknown>): ReplyButton | undefined {
  const blocks = (body.blocks ?? []) as { type: string; elements?: ReplyButton[] }[];
  return blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : [])).find((e) => e.style === 'danger');
}

/** Runs `command text` as `user`, checks it asks first, presses the button and returns both answers. */
export async function runConfirmed(
  t: TestApp,
  { command, text, user }: { command: string; text: string; user: string },
): Promise<{ question: string; answer: string }> {
  const asked = t.fake.responseUrl();
  await t.driver.command({ command, text, user_id: user, response_url: asked });
  const question = (await t.fake.waitForResponse((r) => asked.endsWith(`/${r.id}`))).body;
  const button = confirmButtonOf(question);
  expect(button, `a button to confirm ${command} ${text}: ${String(question.text)}`).toBeDefined();
  const answered = t.fake.responseUrl();
  await t.driver.blockAction({
    action_id: button!.action_id,
    value: button!.value ?? '',
    user_id: user,
    response_url: answered,
  });
  const answer = (await t.fake.waitForResponse((r) => answered.endsWith(`/${r.id}`))).body;
  return { question: String(question.text), answer: String(answer.text) };
}
