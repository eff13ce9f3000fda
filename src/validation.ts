/**
 * Option validation shared by the public constructors: one zod parse, one readable error.
 */
import { z } from 'zod';

/**
 * Parses `value` with `schema`, or throws one Error that names the owner, each wrong option and
 * what it expects, e.g. "LLMAdapter: invalid options — `input`: expected "history" or "latest"";
 * a misspelled option of a strict object schema is named with the option it probably meant.
 */
export function parseOptions<T extends z.ZodType>(
  owner: string,
  schema: T,
  value: unknown,
): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const known = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => unknownOption(key, known)).join('; ');
    const path = issue.path.map(String).join('.');
    return `${path ? `\`${path}\`: ` : ''}${issue.message}`;
  });
  throw new Error(`${owner}: invalid options — ${problems.join('; ')}`);
}

/** "unknown option `playoutTimeout`: did you mean `playoutTimeoutMs`?" */
function unknownOption(key: string, known: readonly string[]): string {
  const lower = key.toLowerCase();
  const near = known.find(
    (k) => k.toLowerCase().includes(lower) || lower.includes(k.toLowerCase()),
  );
  return near
    ? `unknown option \`${key}\`: did you mean \`${near}\`?`
    : `unknown option \`${key}\`: expected one of ${known.map((k) => `\`${k}\``).join(', ')}`;
}

/**
 * An object with these methods, checked by shape, so objects from another copy of a package
 * (CommonJS and ESM side by side) pass; `expected` names it in the error.
 */
export const withMethods = <T>(expected: string, ...methods: string[]) =>
  z.custom<T>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
    { error: `expected ${expected}` },
  );

/** A function (a callback option). */
export const isFunction = <T>() =>
  z.custom<T>((value) => typeof value === 'function', { error: 'expected a function' });
