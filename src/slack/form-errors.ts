// How a refusal shows on a modal: next to a field, so the modal stays open with what was typed.

interface SubmittedView {
  blocks?: { type?: string; block_id?: string }[];
}

/** The `response_action: errors` answer putting `message` by `field`, else by the view's first input; undefined with neither. */
export function fieldErrorAnswer(view: SubmittedView | undefined, message: string, field?: string) {
  const block = field ?? view?.blocks?.find((b) => b.type === 'input' && b.block_id)?.block_id;
  // Field errors are plain text, where an emoji code would show as typed.
  return block
    ? { response_action: 'errors' as const, errors: { [block]: message.replace(/^:\w+: /, '') } }
    : undefined;
}
