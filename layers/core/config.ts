// Configuration is read once, when a module loads: a missing or malformed variable fails
// right there with its name, not halfway through a customer's request. This is the one
// place in the shared layers that reads the environment; the others ask it.
import { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Env = Record<string, string | undefined>;

export function loadConfig<S extends z.ZodRawShape>(shape: S, env: Env = process.env): z.infer<z.ZodObject<S>> {
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}

/**
 * A variable a process may change while it runs (a test or a benchmark quietens LOG_LEVEL
 * after its imports): validated again whenever its value changes, and only then.
 */
export function liveSetting<T>(name: string, schema: z.ZodType<T>, env: Env = process.env): () => T {
  let seen: string | undefined;
  let value: T | undefined;
  let read = false;
  return () => {
    const raw = env[name];
    if (!read || raw !== seen) {
      value = loadConfig({ [name]: schema }, { [name]: raw })[name] as T;
      seen = raw;
      read = true;
    }
    return value as T;
  };
}

/** An unset variable and an empty one mean the same: use the default. */
const unsetIfEmpty = (v: unknown) => (v === '' ? undefined : v);

/** Reusable variable shapes. */
export const env = {
  url: (fallback?: string) => (fallback === undefined ? z.string().url() : z.string().url().default(fallback)),
  optionalUrl: () => z.preprocess(unsetIfEmpty, z.string().url().optional()),
  int: (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(fallback),
  secret: (minLength = 32) => z.string().min(minLength, `must be at least ${minLength} characters`),
  name: (fallback: string) => z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower-case letters, digits and _').default(fallback),
  /** `*`, or one origin such as `https://cinema.example` (scheme, host and port; no path). */
  origin: (fallback: string) =>
    z
      .string()
      .refine((v) => v === '*' || (URL.canParse(v) && new URL(v).origin === v), 'must be * or an origin such as https://cinema.example')
      .default(fallback),
};
