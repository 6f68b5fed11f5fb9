// The strings that tie webhook messages to their listeners.
export const WEBHOOK_IDS = {
  removeButton: 'webhook_remove',
  keepButton: 'webhook_keep',
  removeBlock: 'webhook_remove_actions',
} as const;
