// A Bolt app with no receiver, for tests of what wraps Bolt's dispatch: requests are handed to
// `app.processEvent` directly, as a receiver would.
import { App, type Receiver } from '@slack/bolt';

const receiver: Receiver = { init: () => {}, start: async () => {}, stop: async () => {} };

/** Not yet initialised, so a test can register an error handler first; call `app.init()` before use. */
export const boltWithoutReceiver = () =>
  new App({
    token: 'xoxb-test',
    receiver,
    tokenVerificationEnabled: false,
    botId: 'B1',
    botUserId: 'UBOT',
    deferInitialization: true,
  });
