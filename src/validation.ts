/**
 * Option validation shared by the public constructors: one zod parse, one readable error.
 */
import type { z } from 'zod';

/**
 * Parses `value` with `schema`, or throws one Error that names the owner, each wrong option and
 * what it expects, e.g. "LLMAdapter: invalid options — `input`: expected one of "history"|"latest"".
 */
export function parseOptions<T extends z.ZodType>(
  owner: string,
  schema: T,
  value: unknown,
): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const keys =
      issue.code === 'unrecognized_keys'
        ? ` (${issue.keys.map((k) => `\`${k}\``).join(', ')})`
        : '';
    return `${path ? `\`${path}\`: ` : ''}${issue.message}${keys}`;
  });
  throw new Error(`${owner}: invalid options — ${problems.join('; ')}`);
}
