// The requester's rating of a resolved escalation: one per escalation (the latest answer counts),
// a thumbs-down comment sent to the department's leads.
import { UserError } from '../errors.ts';
import { commitChange } from '../events/commit-change.ts';
import { mentionUser } from '../slack/mentions.ts';
import type { Rating } from './escalations.models.ts';
import { badRatingForLeads } from './escalations.ratings.views.ts';
import { createEscalationsRepository, type Escalation } from './escalations.repository.ts';
import { type EscalationDeps, escalationNotFound } from './escalations.usecases.ts';

/** The escalation, when `userId` raised it and it is resolved: only then can they rate it. */
async function ratable(deps: EscalationDeps, id: string, userId: string): Promise<Escalation> {
  const e = await deps.repo.get(id);
  if (!e) throw escalationNotFound();
  if (e.requesterId !== userId)
    throw new UserError(
      'escalations.not_requester',
      `:no_entry: Only ${e.requesterId ? mentionUser(e.requesterId) : 'the person'}, who raised it, can say how it was handled.`,
    );
  if (e.status !== 'resolved')
    throw new UserError(
      'escalations.not_resolved',
      ':hourglass_flowing_sand: It is not resolved (any more), so there is nothing to rate yet.',
    );
  return e;
}

/**
 * Records the requester's answer. A repeated click changes nothing; a different answer replaces the
 * first (people may change their mind) and raises `escalation.rated` again.
 */
export async function rateEscalation(
  deps: EscalationDeps,
  { id, userId, rating }: { id: string; userId: string; rating: Rating },
): Promise<Escalation> {
  const e = await ratable(deps, id, userId);
  await commitChange(deps, async (tx) => {
    if (!(await createEscalationsRepository({ db: tx }).rate(id, userId, rating, deps.clock.now()))) return undefined;
    return { result: rating, events: [{ type: 'escalation.rated', escalationId: id, userId, rating }] };
  });
  return e;
}

/** Sends the thumbs-down form's comment to the department's leads, with the rating it explains. */
export async function commentOnBadRating(
  deps: EscalationDeps,
  { id, userId, comment }: { id: string; userId: string; comment: string },
): Promise<void> {
  const e = await ratable(deps, id, userId);
  const department = await deps.departments.getIncludingArchived(e.departmentKey);
  const text = badRatingForLeads(e, department?.name ?? e.departmentKey, comment);
  await commitChange(deps, async (tx) => {
    // Only while the answer is still a thumbs-down: a changed mind is not reported to the leads.
    if (!(await createEscalationsRepository({ db: tx }).commentOnRating(id, comment))) return undefined;
    return { result: true, messages: (department?.leads ?? []).map((lead) => ({ dm: lead, content: { text } })) };
  });
}
