// The strings that tie help requests' messages and modals to their listeners.
export const HELP_IDS = {
  command: '/ask',
  askShortcut: 'ask_message',
  askModal: 'help_ask',
  claim: 'help_claim',
  solve: 'help_solve',
  solveModal: 'help_solve_modal',
  actionsBlock: 'help_actions',
  questionBlock: 'help_question',
  questionInput: 'question',
  contextBlock: 'help_context',
  contextInput: 'context',
  urgencyBlock: 'help_urgency',
  urgencyInput: 'urgency',
  customerBlock: 'help_customer',
  customerInput: 'customer',
  topHelpersBlock: 'help_top_helpers',
  topHelpersInput: 'top_helpers',
  noteBlock: 'help_note',
  noteInput: 'note',
  answerBlock: 'help_answer',
  answerInput: 'answer',
} as const;

/**
 * The help channel's message mirrors the request row: drawn from it whenever it is posted or
 * updated. Other capabilities reply in its thread by this name (`inThreadOf`).
 */
export const HELP_REQUEST_CARD = 'help-request';
