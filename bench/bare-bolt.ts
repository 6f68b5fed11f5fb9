// The baseline: a Bolt app that only acks, with the same receiver and the same signature checks.

import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';

const app = new App({
  token: 'xoxb-bench',
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? 'bench-secret',
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  logLevel: LogLevel.ERROR,
});
app.command(/.*/, async ({ ack }) => ack());
app.action(/.*/, async ({ ack }) => ack());
const server = (await app.start(0)) as { address(): AddressInfo };
console.log(JSON.stringify({ msg: 'Frontline is running', port: server.address().port }));
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
