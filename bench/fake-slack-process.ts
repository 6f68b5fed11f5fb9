// The fake Slack in a process of its own, for the ack benchmarks. Real Slack answers the app's Web
// API calls from elsewhere; run inside the bench process, the fake's work (parsing, checking each
// call against Slack's reference) would delay the bench reading the acks of the requests it times,
// and only for the app: the bare Bolt app makes no calls.
import { startFakeSlack } from '../tests/support/fake-slack.ts';

const fake = await startFakeSlack();
process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);
// Nobody reads the calls it records here: keep its memory flat over a long run (messages stay, for chat.update).
setInterval(() => {
  fake.calls.length = 0;
  fake.responses.length = 0;
}, 5_000).unref();
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
