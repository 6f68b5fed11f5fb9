// The strings that tie feedback's command, shortcut and views to their listeners.
export const FEEDBACK_IDS = {
  command: '/feedback',
  shortcut: 'log_feedback',
  modal: 'feedback_modal',
  editButton: 'feedback_edit',
  textBlock: 'feedback_text',
  textInput: 'text',
  customerBlock: 'feedback_customer',
  customerInput: 'customer',
  sourceBlock: 'feedback_source',
  sourceInput: 'source',
  themesBlock: 'feedback_themes',
  themesInput: 'themes',
  sentimentBlock: 'feedback_sentiment',
  sentimentInput: 'sentiment',
} as const;

export const FEEDBACK_EMOJI_SETTING = 'feedback-emoji';
export const DEFAULT_FEEDBACK_EMOJI = 'bulb';
