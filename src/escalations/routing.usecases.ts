// Suggesting the team for an escalation from its words: keywords and where similar ones were resolved.
import type { Department, DepartmentsRepository } from '../departments/departments.repository.ts';
import type { EscalationsRepository } from './escalations.repository.ts';
import { type Suggestion, suggestDepartment } from './routing.models.ts';

export interface SuggestedTeam {
  department: Department;
  suggestion: Suggestion;
}

/** The team `text` most likely belongs to, or undefined when nothing points anywhere. */
export async function suggestTeam(
  { repo, departments }: { repo: EscalationsRepository; departments: DepartmentsRepository },
  { text }: { text: string },
): Promise<SuggestedTeam | undefined> {
  const list = await departments.list();
  const suggestion = suggestDepartment(text, list, await repo.similarOutcomes(text));
  const department = suggestion && list.find((d) => d.key === suggestion.departmentKey);
  return department && suggestion ? { department, suggestion } : undefined;
}
