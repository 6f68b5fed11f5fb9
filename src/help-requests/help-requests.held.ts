// How a question held before posting (answers were offered first, see before-posting.ts) is posted
// when its asker chooses "Post anyway": through askForHelp, exactly as the listener would have.
import { z } from 'zod';
import type { BeforePosting } from '../before-posting.ts';
import { HELP_REQUEST_CARD } from './help-requests.ids.ts';
import { urgencySchema } from './help-requests.models.ts';
import { type AskInput, askForHelp, type HelpDeps } from './help-requests.usecases.ts';
import { askedConfirmation } from './help-requests.views.ts';

/** What the `/ask` command or form typed, kept while answers are offered. */
export const heldAskSchema = z.object({
  text: z.string().min(1),
  context: z.string().nullish(),
  urgency: urgencySchema.optional(),
  customer: z.string().nullish(),
  sourcePermalink: z.string().nullish(),
});

/** The draft a held `/ask` keeps: the asker's input without who asked. */
export type HeldAsk = Omit<AskInput, 'askerId' | 'api'>;

export function postHeldHelpRequests(beforePosting: BeforePosting, deps: HelpDeps): void {
  beforePosting.poster('help_request', async (draft, { userId, once }) => {
    const request = await askForHelp(deps, { askerId: userId, ...heldAskSchema.parse(draft), dedupe: once });
    return (
      request && {
        reply: askedConfirmation(request),
        thread: { mirror: HELP_REQUEST_CARD, ref: String(request.id) },
      }
    );
  });
}
