// Builders for what Slack sends the app (slash commands, interactions, events), shaped like the
// payloads in Slack's docs. Ids default to a small fixed workspace so tests only name what matters.
import { randomBytes } from 'node:crypto';
import { APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID } from './fake-slack-methods.ts';
import { EVENT_TYPES } from './slack-schemas.ts';

export const TEAM_DOMAIN = 'example';
export const VERIFICATION_TOKEN = 'verification-token';
export const DEFAULT_USER = 'UUSER01';
export const DEFAULT_CHANNEL = 'C0GENERAL';

type Json = Record<string, any>;
const team = { id: TEAM_ID, domain: TEAM_DOMAIN };
const user = (id: string) => ({ id, username: id.toLowerCase(), name: id.toLowerCase(), team_id: TEAM_ID });
const channelName = (id: string) =>
  id === DEFAULT_CHANNEL ? 'general' : id.startsWith('D') ? 'directmessage' : id.toLowerCase();
const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });

/** A random trigger id in Slack's format. */
export const triggerId = () => `${Date.now()}.${TEAM_ID.slice(1)}.${randomBytes(16).toString('hex')}`;
/** Slack's action_ts / event_ts style: seconds with microseconds. */
const nowTs = () => (Date.now() / 1000).toFixed(6);

export interface SlashCommandInput {
  command: string;
  text?: string;
  user_id?: string;
  channel_id?: string;
  trigger_id?: string;
  response_url: string;
}

/** The form fields of a slash command request. */
export function buildSlashCommand(input: SlashCommandInput): Record<string, string> {
  const userId = input.user_id ?? DEFAULT_USER;
  const channelId = input.channel_id ?? DEFAULT_CHANNEL;
  return {
    token: VERIFICATION_TOKEN,
    team_id: TEAM_ID,
    team_domain: TEAM_DOMAIN,
    channel_id: channelId,
    channel_name: channelName(channelId),
    user_id: userId,
    user_name: userId.toLowerCase(),
    command: input.command,
    text: input.text ?? '',
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: input.response_url,
    trigger_id: input.trigger_id ?? triggerId(),
  };
}

/** A state value leaf for each input element type, as in view.state.values[block][action]. */
export const field = {
  text: (value: string | null) => ({ type: 'plain_text_input', value }),
  number: (value: string | null) => ({ type: 'number_input', value }),
  email: (value: string | null) => ({ type: 'email_text_input', value }),
  url: (value: string | null) => ({ type: 'url_text_input', value }),
  select: (value: string | null, text = value ?? '') => ({
    type: 'static_select',
    selected_option: value === null ? null : { text: plain(text), value },
  }),
  multiSelect: (values: string[]) => ({
    type: 'multi_static_select',
    selected_options: values.map((v) => ({ text: plain(v), value: v })),
  }),
  user: (id: string | null) => ({ type: 'users_select', selected_user: id }),
  users: (ids: string[]) => ({ type: 'multi_users_select', selected_users: ids }),
  conversation: (id: string | null) => ({ type: 'conversations_select', selected_conversation: id }),
  conversations: (ids: string[]) => ({ type: 'multi_conversations_select', selected_conversations: ids }),
  channel: (id: string | null) => ({ type: 'channels_select', selected_channel: id }),
  checkboxes: (values: string[]) => ({
    type: 'checkboxes',
    selected_options: values.map((v) => ({ text: plain(v), value: v })),
  }),
  radio: (value: string | null, text = value ?? '') => ({
    type: 'radio_buttons',
    selected_option: value === null ? null : { text: plain(text), value },
  }),
  date: (date: string | null) => ({ type: 'datepicker', selected_date: date }),
  time: (time: string | null, timezone?: string) => ({
    type: 'timepicker',
    selected_time: time,
    ...(timezone ? { timezone } : {}),
  }),
};
export type StateValue = ReturnType<(typeof field)[keyof typeof field]>;

/**
 * Nests a flat description into view.state.values: keys are 'block_id/action_id', or one id used
 * for both. Example: stateValues({ title: field.text('Hi'), 'who/pick': field.user('U1') }).
 */
export function stateValues(flat: Record<string, StateValue>): Record<string, Record<string, StateValue>> {
  const values: Record<string, Record<string, StateValue>> = {};
  for (const [key, value] of Object.entries(flat)) {
    const [blockId = key, actionId = blockId] = key.split('/');
    values[blockId] = { ...values[blockId], [actionId]: value };
  }
  return values;
}

export interface ViewInput {
  id?: string;
  type?: 'modal' | 'home';
  callback_id?: string;
  private_metadata?: string;
  hash?: string;
  blocks?: unknown[];
  values?: Record<string, Record<string, StateValue>>;
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  external_id?: string;
  root_view_id?: string;
  previous_view_id?: string | null;
  notify_on_close?: boolean;
}

/** A view object as Slack includes it in interaction payloads. */
export function buildView(input: ViewInput = {}): Json {
  const { values = {}, ...rest } = input;
  const id = input.id ?? 'V0VIEW0001';
  const modal = (input.type ?? 'modal') === 'modal';
  return {
    id,
    team_id: TEAM_ID,
    type: 'modal',
    blocks: [],
    private_metadata: '',
    callback_id: '',
    external_id: '',
    hash: `${Math.floor(Date.now() / 1000)}.abc123`,
    ...(modal
      ? { title: plain('Frontline'), close: null, submit: null, clear_on_close: false, notify_on_close: false }
      : {}),
    previous_view_id: null,
    root_view_id: id,
    app_id: APP_ID,
    app_installed_team_id: TEAM_ID,
    bot_id: BOT_ID,
    ...rest,
    state: { values },
  };
}

export interface BlockActionInput {
  action_id: string;
  value?: string;
  user_id?: string;
  block_id?: string;
  /** Element type; defaults to 'button', or to the select type implied by the selection. */
  type?: string;
  text?: string;
  selected_option?: { text?: unknown; value: string };
  /** Extra fields of the action (selected_user, selected_date, ...). */
  action?: Json;
  channel_id?: string;
  message_ts?: string;
  message?: Json;
  /** When set the action comes from this view (modal or App Home) instead of a message. */
  view?: ViewInput;
  response_url?: string;
  trigger_id?: string;
  state_values?: Record<string, Record<string, StateValue>>;
}

/** A block_actions payload from a message (default) or from a view. */
export function buildBlockAction(input: BlockActionInput): Json {
  const userId = input.user_id ?? DEFAULT_USER;
  const selected = input.selected_option
    ? {
        selected_option: {
          text: input.selected_option.text ?? plain(input.selected_option.value),
          value: input.selected_option.value,
        },
      }
    : {};
  const action = {
    type: input.type ?? (input.selected_option ? 'static_select' : 'button'),
    action_id: input.action_id,
    block_id: input.block_id ?? 'actions',
    ...(input.selected_option ? {} : { text: plain(input.text ?? input.action_id) }),
    ...(input.value === undefined ? {} : { value: input.value }),
    ...selected,
    ...input.action,
    action_ts: nowTs(),
  };
  const common = {
    type: 'block_actions',
    user: user(userId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: input.trigger_id ?? triggerId(),
    team,
    enterprise: null,
    is_enterprise_install: false,
    actions: [action],
  };
  if (input.view) {
    const view = buildView({ ...input.view, values: input.view.values ?? input.state_values ?? {} });
    // Actions in views carry no response_url and no channel (unless the app asked for one).
    return {
      ...common,
      container: { type: 'view', view_id: view.id },
      view,
      state: view.state,
      ...(input.response_url ? { response_url: input.response_url } : {}),
    };
  }
  const channelId = input.channel_id ?? DEFAULT_CHANNEL;
  const ts = input.message_ts ?? (input.message?.ts as string | undefined) ?? nowTs();
  const message = {
    type: 'message',
    user: BOT_USER_ID,
    bot_id: BOT_ID,
    app_id: APP_ID,
    team: TEAM_ID,
    text: '',
    blocks: [],
    ...input.message,
    ts,
  };
  return {
    ...common,
    container: { type: 'message', message_ts: ts, channel_id: channelId, is_ephemeral: false },
    channel: { id: channelId, name: channelName(channelId) },
    message,
    state: { values: input.state_values ?? {} },
    response_url: input.response_url,
  };
}

export interface ViewSubmissionInput extends Omit<ViewInput, 'values'> {
  callback_id: string;
  values?: Record<string, Record<string, StateValue>>;
  user_id?: string;
  view_id?: string;
  trigger_id?: string;
}

/** What view_submission and view_closed payloads share: who, where, and the view with its state. */
function viewPayload(
  type: 'view_submission' | 'view_closed',
  input: Omit<ViewSubmissionInput, 'trigger_id'>,
  viewExtra: Partial<ViewInput> = {},
): Json {
  const { user_id, view_id, values = {}, ...view } = input;
  return {
    type,
    team,
    user: user(user_id ?? DEFAULT_USER),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    view: buildView({ ...view, id: view_id ?? view.id, values, ...viewExtra }),
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A view_submission payload for a modal with the given state values. */
export function buildViewSubmission({ trigger_id, ...input }: ViewSubmissionInput): Json {
  return { ...viewPayload('view_submission', input), trigger_id: trigger_id ?? triggerId(), response_urls: [] };
}

/** A view_closed payload (sent only for modals opened with notify_on_close). */
export function buildViewClosed(input: Omit<ViewSubmissionInput, 'trigger_id'>): Json {
  return { ...viewPayload('view_closed', input, { notify_on_close: true }), is_cleared: false };
}

/** What both kinds of shortcut payload share. */
function shortcutPayload(
  type: 'shortcut' | 'message_action',
  input: { callback_id: string; user_id?: string; trigger_id?: string },
): Json {
  return {
    type,
    token: VERIFICATION_TOKEN,
    action_ts: nowTs(),
    team,
    user: user(input.user_id ?? DEFAULT_USER),
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callback_id,
    trigger_id: input.trigger_id ?? triggerId(),
  };
}

/** A global shortcut payload. */
export function buildGlobalShortcut(input: { callback_id: string; user_id?: string; trigger_id?: string }): Json {
  return shortcutPayload('shortcut', input);
}

export interface MessageShortcutInput {
  callback_id: string;
  message: { ts: string; text?: string; user?: string; thread_ts?: string; [key: string]: unknown };
  channel_id?: string;
  user_id?: string;
  response_url: string;
  trigger_id?: string;
}

/** A message shortcut (message_action) payload. */
export function buildMessageShortcut(input: MessageShortcutInput): Json {
  const channelId = input.channel_id ?? DEFAULT_CHANNEL;
  return {
    ...shortcutPayload('message_action', input),
    channel: { id: channelId, name: channelName(channelId) },
    response_url: input.response_url,
    message_ts: input.message.ts,
    message: { type: 'message', user: DEFAULT_USER, text: '', ...input.message },
  };
}

/** The Events API envelope around an inner event; throws on event types Slack does not have. */
export function buildEventCallback(
  event: Json & { type: string },
  options: { event_id?: string; event_time?: number } = {},
): Json {
  if (!EVENT_TYPES.has(event.type)) throw new Error(`Slack has no event type '${event.type}'`);
  return {
    token: VERIFICATION_TOKEN,
    team_id: TEAM_ID,
    api_app_id: APP_ID,
    event: { event_ts: nowTs(), ...event },
    type: 'event_callback',
    event_id: options.event_id ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: options.event_time ?? Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
}

/** The url_verification request Slack sends when the Request URL is saved. */
export function buildUrlVerification(challenge = randomBytes(12).toString('hex')): Json {
  return { token: VERIFICATION_TOKEN, challenge, type: 'url_verification' };
}
