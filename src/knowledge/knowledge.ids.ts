// The strings that tie service knowledge's command, shortcut, buttons and forms to their listeners.
export const KNOWLEDGE_IDS = {
  command: '/answers',
  saveShortcut: 'save_answer',
  helpfulButton: 'answer_helpful',
  shareButton: 'answer_share',
  saveModal: 'answer_save_modal',
  titleBlock: 'answer_title',
  titleInput: 'title',
  bodyBlock: 'answer_body',
  bodyInput: 'body',
  shareableBlock: 'answer_shareable',
  shareableInput: 'shareable',
  homeSearchBlock: 'answer_home_search',
  homeSearchInput: 'answer_home_query',
  resultsModal: 'answer_results_modal',
  editButton: 'answer_edit',
  outdatedButton: 'answer_mark_outdated',
  retireButton: 'answer_retire',
  stillRightButton: 'answer_still_right',
  editModal: 'answer_edit_modal',
  statusBlock: 'answer_status',
  statusInput: 'status',
} as const;

/** The block holding an answer's buttons in any message or view, so a change can replace them. */
export const answerControlsBlock = (answerId: string) => `answer_${answerId}`;

export const SEARCH_LANGUAGE_SETTING = 'search-language';
export const ANSWER_EMOJI_SETTING = 'answer-emoji';
export const DEFAULT_ANSWER_EMOJI = 'book';
export const REVIEW_DAYS_SETTING = 'answer-review-days';

// The buttons under answers offered before a question is posted (knowledge.suggest.ts).
export const HELD_QUESTION_IDS = {
  answeredButton: 'held_question_answered',
  postAnywayButton: 'held_question_post_anyway',
} as const;
