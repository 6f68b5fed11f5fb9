// The fake Slack's workspace (users, channels, usergroups, messages, views, files) and its answers
// to the Web API methods the app uses, shaped like the example responses in slack-reference/methods.

export const TEAM_ID = 'T0001';
export const BOT_USER_ID = 'UBOT';
export const BOT_ID = 'BBOT';
export const APP_ID = 'AFRONTLINE';

export interface FakeUser {
  id: string;
  name?: string;
  real_name?: string;
  email?: string;
  tz?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_bot?: boolean;
  deleted?: boolean;
  /** A guest: multi-channel (restricted) or single-channel (ultra-restricted). */
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
}

export interface FakeChannel {
  id: string;
  name?: string;
  is_private?: boolean;
  is_member?: boolean;
  is_archived?: boolean;
  /** Who is in it, as conversations.members lists them. */
  members?: string[];
}

export interface FakeMessage {
  ts: string;
  text?: string;
  user?: string;
  thread_ts?: string;
  [key: string]: unknown;
}

type Answer = Record<string, unknown>;
type Args = Record<string, unknown>;

/** Everything the fake remembers between calls; tests seed and inspect it through FakeSlack. */
export class Workspace {
  users = new Map<string, FakeUser>();
  channels = new Map<string, FakeChannel>();
  usergroups = new Map<string, string[]>();
  messages = new Map<string, FakeMessage[]>();
  uploads = new Map<string, Buffer>();
  private lastTs = 0;
  private counter = 0;

  constructor(readonly baseUrl: () => string) {}

  /** A message ts like Slack's ('1700000000.000100'), unique and increasing. */
  nextTs(): string {
    this.lastTs = Math.max(Date.now() * 1000, this.lastTs + 1);
    return `${Math.floor(this.lastTs / 1e6)}.${String(this.lastTs % 1e6).padStart(6, '0')}`;
  }

  nextId(prefix: string): string {
    return `${prefix}${String(++this.counter).padStart(8, '0')}`;
  }

  user(id: string): Answer {
    const u: FakeUser = this.users.get(id) ?? { id };
    const tz = u.tz ?? 'UTC';
    const name = u.name ?? id.toLowerCase();
    const realName = u.real_name ?? `User ${id}`;
    return {
      id,
      team_id: TEAM_ID,
      name,
      real_name: realName,
      deleted: u.deleted ?? false,
      is_admin: u.is_admin ?? false,
      is_owner: u.is_owner ?? false,
      is_bot: u.is_bot ?? false,
      is_restricted: u.is_restricted ?? false,
      is_ultra_restricted: u.is_ultra_restricted ?? false,
      is_app_user: false,
      tz,
      tz_label: tz,
      tz_offset: tzOffsetSeconds(tz),
      profile: { real_name: realName, display_name: name, email: u.email ?? `${name}@example.com`, team: TEAM_ID },
    };
  }

  channel(id: string): Answer {
    const c: FakeChannel = this.channels.get(id) ?? { id };
    return {
      id,
      name: c.name ?? (id.startsWith('D') ? undefined : `channel-${id.toLowerCase()}`),
      is_channel: id.startsWith('C'),
      is_group: id.startsWith('G'),
      is_im: id.startsWith('D'),
      is_private: c.is_private ?? !id.startsWith('C'),
      is_archived: c.is_archived ?? false,
      is_member: c.is_member ?? true,
      context_team_id: TEAM_ID,
      ...(id.startsWith('D') ? { user: `U${id.slice(1)}` } : {}),
    };
  }

  /** Stores (or replaces, by ts) a message in a channel. */
  addMessage(channel: string, message: FakeMessage): FakeMessage {
    const list = this.messages.get(channel) ?? [];
    const stored = { type: 'message', ...message };
    const at = list.findIndex((m) => m.ts === message.ts);
    if (at >= 0) list[at] = stored;
    else list.push(stored);
    list.sort((a, b) => Number(a.ts) - Number(b.ts));
    this.messages.set(channel, list);
    return stored;
  }

  getMessage(channel: string, ts: string): FakeMessage | undefined {
    return this.messages.get(channel)?.find((m) => m.ts === ts);
  }

  /** The fake's answer to a known method whose arguments were already checked. */
  answer(method: string, a: Args): Answer {
    const handler = this.handlers[method];
    return handler ? handler(a) : { ok: true };
  }

  private botMessage(a: Args, ts: string): FakeMessage {
    const fields = ['text', 'blocks', 'attachments', 'thread_ts', 'metadata'] as const;
    const copied = Object.fromEntries(fields.filter((k) => a[k] !== undefined).map((k) => [k, a[k]]));
    // Slack keeps metadata as an object; it arrives form-encoded as a JSON string.
    if (typeof copied.metadata === 'string') copied.metadata = JSON.parse(copied.metadata);
    return { user: BOT_USER_ID, bot_id: BOT_ID, app_id: APP_ID, team: TEAM_ID, text: '', ...copied, ts };
  }

  private history(channel: string, a: Args, inThread?: string): FakeMessage[] {
    const inclusive = a.inclusive === true || a.inclusive === 'true';
    const after = (ts: string, bound: unknown) =>
      bound === undefined || (inclusive ? Number(ts) >= Number(bound) : Number(ts) > Number(bound));
    const before = (ts: string, bound: unknown) =>
      bound === undefined || (inclusive ? Number(ts) <= Number(bound) : Number(ts) < Number(bound));
    const all = this.messages.get(channel) ?? [];
    const picked = all.filter((m) =>
      inThread ? m.ts === inThread || m.thread_ts === inThread : !m.thread_ts || m.thread_ts === m.ts,
    );
    const withMetadata = a.include_all_metadata === true || a.include_all_metadata === 'true';
    const ranged = picked
      .filter((m) => after(m.ts, a.oldest) && before(m.ts, a.latest))
      .map(({ metadata, ...m }) => (withMetadata && metadata ? { ...m, metadata } : m));
    return inThread ? ranged : ranged.reverse(); // history is newest first, replies oldest first
  }

  private readonly handlers: Record<string, (a: Args) => Answer> = {
    'auth.test': () => ({
      ok: true,
      url: 'https://example.slack.com/',
      team: 'Example',
      user: 'frontline',
      team_id: TEAM_ID,
      user_id: BOT_USER_ID,
      bot_id: BOT_ID,
      is_enterprise_install: false,
    }),
    'chat.postMessage': (a) => {
      // Posting to a user ID lands in the app's DM with them, as conversations.open names it.
      const channel = /^[UW]/.test(String(a.channel)) ? `D${String(a.channel)}` : String(a.channel);
      const message = this.addMessage(channel, this.botMessage(a, this.nextTs()));
      const parent = a.thread_ts ? this.getMessage(channel, String(a.thread_ts)) : undefined;
      if (parent) parent.reply_count = Number(parent.reply_count ?? 0) + 1;
      return { ok: true, channel, ts: message.ts, message };
    },
    'chat.scheduleMessage': (a) => ({
      ok: true,
      channel: a.channel,
      scheduled_message_id: this.nextId('Q'),
      post_at: a.post_at,
      message: this.botMessage(a, this.nextTs()),
    }),
    'chat.update': (a) => {
      const channel = String(a.channel);
      const old = this.getMessage(channel, String(a.ts));
      if (!old) return { ok: false, error: 'message_not_found' };
      const message = this.addMessage(channel, {
        ...old,
        ...this.botMessage(a, old.ts),
        edited: { user: BOT_USER_ID, ts: this.nextTs() },
      });
      return { ok: true, channel, ts: old.ts, text: message.text, message };
    },
    'chat.postEphemeral': () => ({ ok: true, message_ts: this.nextTs() }),
    'chat.delete': (a) => {
      const list = this.messages.get(String(a.channel)) ?? [];
      const at = list.findIndex((m) => m.ts === a.ts);
      if (at < 0) return { ok: false, error: 'message_not_found' };
      list.splice(at, 1);
      return { ok: true, channel: a.channel, ts: a.ts };
    },
    'chat.getPermalink': (a) => ({
      ok: true,
      channel: a.channel,
      permalink: `https://example.slack.com/archives/${String(a.channel)}/p${String(a.message_ts).replace('.', '')}`,
    }),
    'conversations.open': (a) => {
      const users = String(a.users ?? '')
        .split(',')
        .filter(Boolean);
      const id = a.channel
        ? String(a.channel)
        : users.length === 1
          ? `D${users[0]}`
          : `G${users.join('').slice(0, 20)}`;
      return { ok: true, channel: { id } };
    },
    'conversations.info': (a) => ({ ok: true, channel: this.channel(String(a.channel)) }),
    'conversations.members': (a) => ({
      ok: true,
      members: this.channels.get(String(a.channel))?.members ?? [],
      response_metadata: { next_cursor: '' },
    }),
    'conversations.join': (a) => {
      const id = String(a.channel);
      this.channels.set(id, { ...(this.channels.get(id) ?? { id }), is_member: true });
      return { ok: true, channel: this.channel(id) };
    },
    'conversations.history': (a) => {
      const messages = this.history(String(a.channel), a).slice(0, Number(a.limit ?? 100));
      return { ok: true, messages, has_more: false, pin_count: 0, response_metadata: { next_cursor: '' } };
    },
    'conversations.replies': (a) => {
      const messages = this.history(String(a.channel), a, String(a.ts));
      if (messages.length === 0) return { ok: false, error: 'thread_not_found' };
      return {
        ok: true,
        messages: messages.slice(0, Number(a.limit ?? 1000)),
        has_more: false,
        response_metadata: { next_cursor: '' },
      };
    },
    'users.info': (a) => ({ ok: true, user: this.user(String(a.user)) }),
    'users.lookupByEmail': (a) => {
      const found = [...this.users.keys()]
        .map((id) => this.user(id))
        .find((u) => (u.profile as { email: string }).email === a.email);
      return found ? { ok: true, user: found } : { ok: false, error: 'users_not_found' };
    },
    'usergroups.list': () => ({
      ok: true,
      usergroups: [...this.usergroups].map(([id, users]) => ({
        id,
        team_id: TEAM_ID,
        is_usergroup: true,
        name: id,
        description: '',
        handle: id.toLowerCase(),
        user_count: users.length,
      })),
    }),
    'usergroups.users.list': (a) => {
      const users = this.usergroups.get(String(a.usergroup));
      return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
    },
    'views.open': (a) => this.view(a),
    'views.push': (a) => this.view(a),
    'views.update': (a) => this.view(a, a.view_id ? String(a.view_id) : undefined),
    'views.publish': (a) => this.view(a),
    'reactions.add': (a) => this.react(a, +1),
    'reactions.remove': (a) => this.react(a, -1),
    'reactions.get': (a) => {
      const message = this.getMessage(String(a.channel), String(a.timestamp));
      return message
        ? { ok: true, type: 'message', channel: a.channel, message }
        : { ok: false, error: 'message_not_found' };
    },
    'files.getUploadURLExternal': () => {
      const fileId = this.nextId('F');
      return { ok: true, upload_url: `${this.baseUrl()}/upload/${fileId}`, file_id: fileId };
    },
    'files.completeUploadExternal': (a) => {
      const files = (Array.isArray(a.files) ? a.files : []) as Array<{ id: string; title?: string }>;
      if (files.some((f) => !this.uploads.has(f.id))) return { ok: false, error: 'file_not_found' };
      return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title ?? '' })) };
    },
  };

  private view(a: Args, id = this.nextId('V')): Answer {
    const view = (a.view ?? {}) as Record<string, unknown>;
    const hash = `${Math.floor(Date.now() / 1000)}.${id}`;
    return {
      ok: true,
      view: {
        id,
        team_id: TEAM_ID,
        app_id: APP_ID,
        bot_id: BOT_ID,
        private_metadata: '',
        callback_id: '',
        external_id: '',
        state: { values: {} },
        hash,
        root_view_id: id,
        previous_view_id: null,
        ...view,
      },
    };
  }

  private react(a: Args, delta: 1 | -1): Answer {
    const message = this.getMessage(String(a.channel), String(a.timestamp));
    if (!message) return { ok: false, error: 'message_not_found' };
    const reactions = ((message.reactions ?? []) as Array<{ name: string; users: string[]; count: number }>).filter(
      (r) => r.name !== a.name,
    );
    const had = ((message.reactions ?? []) as Array<{ name: string; users: string[] }>).find((r) => r.name === a.name);
    const users = new Set(had?.users ?? []);
    if (delta > 0 && users.has(BOT_USER_ID)) return { ok: false, error: 'already_reacted' };
    if (delta < 0 && !users.has(BOT_USER_ID)) return { ok: false, error: 'no_reaction' };
    if (delta > 0) users.add(BOT_USER_ID);
    else users.delete(BOT_USER_ID);
    if (users.size > 0) reactions.push({ name: String(a.name), users: [...users], count: users.size });
    message.reactions = reactions;
    return { ok: true };
  }
}

/** The UTC offset of an IANA zone right now, in seconds (Slack's tz_offset). */
function tzOffsetSeconds(tz: string): number {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')?.value;
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(part ?? '');
    if (!match) return 0;
    return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60);
  } catch {
    return 0;
  }
}
