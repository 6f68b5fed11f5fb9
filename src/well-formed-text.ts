// JSON may hold half of a surrogate pair (the escape `"\ud83d"` alone), which no person can type: a
// helpdesk that cuts text mid-emoji sends it. PostgreSQL's jsonb refuses it mid-write, and text
// columns store a replacement character, so the JSON edges refuse it first, naming where it is.

// With the `u` flag only a surrogate that is not half of a pair matches.
const LONE_SURROGATE = /\p{Surrogate}/u;

/** What is wrong with such text, said after the name of the field that holds it. */
export const HALF_CHARACTER = 'holds half a character (a lone \\u escape from a surrogate pair)';
/** What a person editing such a file should do instead. */
export const WRITE_IT_WHOLE = 'write the character itself, or both halves';

/** The path (`['departments', 0, 'fields', 0, 'label']`) of the first key or text in parsed JSON holding half a character. */
export function loneSurrogateAt(value: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const at = [...path, Array.isArray(value) ? Number(key) : key];
    if (LONE_SURROGATE.test(key)) return at;
    const found = loneSurrogateAt(inner, at);
    if (found !== undefined) return found;
  }
  return undefined;
}
