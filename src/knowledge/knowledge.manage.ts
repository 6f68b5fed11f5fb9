// Keeping answers right: their authors, their department's leads and admins edit them, mark them
// outdated or retire them; an author confirms one is still right. Every change is checked here,
// whatever the buttons showed.
import type { Clock } from '../clock.ts';
import type { DepartmentsRepository } from '../departments/departments.repository.ts';
import { UserError } from '../errors.ts';
import type { AdminCheck } from '../slack/admins.ts';
import { mayChangeAnswer } from './knowledge.models.ts';
import type { Answer, KnowledgeRepository } from './knowledge.repository.ts';
import { answerNotFound } from './knowledge.usecases.ts';
import type { AnswerManagementRepository, AnswerRights } from './knowledge-manage.repository.ts';

export interface ManageDeps {
  repo: KnowledgeRepository;
  manage: AnswerManagementRepository;
  departments: Pick<DepartmentsRepository, 'list'>;
  admins: Pick<AdminCheck, 'isAdmin'>;
  clock: Clock;
}

const notAllowed = () =>
  new UserError(
    'knowledge.not_allowed',
    ':lock: Only the people an answer credits, whoever saved it, its department’s leads and admins can change it. Nothing was changed.',
  );

/** Which answers one person may change: asks Slack whether they are an admin once, not per answer. */
export async function changeRights(
  deps: Pick<ManageDeps, 'departments' | 'admins'>,
  userId: string,
): Promise<(answer: Omit<AnswerRights, 'id'>) => boolean> {
  const [isAdmin, departments] = await Promise.all([deps.admins.isAdmin(userId), deps.departments.list()]);
  const leads = new Set(departments.filter((d) => d.leads.includes(userId)).map((d) => d.key));
  return (answer) =>
    mayChangeAnswer(answer, userId, {
      isAdmin,
      isDepartmentLead: answer.departmentKey !== null && leads.has(answer.departmentKey),
    });
}

/** The ids, among these answers, that `userId` may change: for showing the controls to them only. */
export async function changeableAnswers(deps: ManageDeps, userId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const [mayChange, rows] = await Promise.all([changeRights(deps, userId), deps.manage.rightsOf(ids)]);
  return new Set(rows.filter(mayChange).map((r) => r.id));
}

/** The answer, if it is still there and `userId` may change it; else a clear refusal. */
export async function answerToChange(deps: ManageDeps, { answerId, userId }: { answerId: string; userId: string }) {
  const answer = await deps.repo.byId(answerId);
  if (!answer || answer.status === 'retired') throw answerNotFound();
  if (!(await changeRights(deps, userId))(answer)) throw notAllowed();
  return answer;
}

/** Saves the edit form: question, answer and whether it may be outdated. */
export async function editAnswer(
  deps: ManageDeps,
  change: {
    answerId: string;
    userId: string;
    title: string;
    body: string;
    status: 'active' | 'outdated';
    openedAt: Date;
  },
): Promise<Answer> {
  await answerToChange(deps, change);
  const outcome = await deps.manage.edit({ ...change, id: change.answerId, at: deps.clock.now() });
  if (outcome === 'missing') throw answerNotFound();
  if (outcome === 'stale')
    throw new UserError(
      'knowledge.edited_meanwhile',
      'Someone changed this answer while you had it open. Close the form and open it again to see their version.',
    );
  return (await deps.repo.byId(change.answerId))!;
}

/** Marks an answer outdated (still shown, marked) or retires it (never shown again). */
export async function setAnswerStatus(
  deps: ManageDeps,
  { answerId, userId, status }: { answerId: string; userId: string; status: 'outdated' | 'retired' },
): Promise<{ outcome: 'changed' | 'already'; answer: Answer }> {
  const answer = await answerToChange(deps, { answerId, userId });
  const outcome = await deps.manage.setStatus({ id: answerId, status, at: deps.clock.now() });
  if (outcome === 'missing') throw answerNotFound();
  return { outcome, answer };
}

/** "Still right": the answer counts as reviewed now (and is active again if it was marked outdated). */
export async function confirmAnswer(
  deps: ManageDeps,
  { answerId, userId }: { answerId: string; userId: string },
): Promise<Answer> {
  const answer = await answerToChange(deps, { answerId, userId });
  if ((await deps.manage.confirm({ id: answerId, at: deps.clock.now() })) === 'missing') throw answerNotFound();
  return answer;
}
