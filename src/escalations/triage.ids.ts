// The strings that tie the triage walk's modal to its listeners.

export const TRIAGE_IDS = {
  walkModal: 'triage_walk',
  optionsBlock: 'triage_options',
  /** One per option button (`triage_option_0` …): action ids are unique within a block. */
  optionPrefix: 'triage_option_',
  back: 'triage_back',
  solved: 'triage_solved',
  escalateAnyway: 'triage_escalate_anyway',
  subcommand: 'triage',
} as const;

/** Matches any option button of a question. */
export const TRIAGE_OPTION_ACTION = new RegExp(`^${TRIAGE_IDS.optionPrefix}\\d$`);
