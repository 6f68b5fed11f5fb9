// The strings that tie departments' views to their listeners.
export const DEPARTMENT_IDS = {
  openAddModal: 'departments_open_add',
  addModal: 'departments_add',
  keyBlock: 'department_key',
  keyInput: 'key',
  nameBlock: 'department_name',
  nameInput: 'name',
  channelBlock: 'department_channel',
  channelInput: 'channel',
  leadsBlock: 'department_leads',
  leadsInput: 'leads',
  keywordsBlock: 'department_keywords',
  keywordsInput: 'keywords',
} as const;
