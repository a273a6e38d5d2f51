// Configuration is read once, when a module loads: a missing or malformed variable fails
// right there with its name, not halfway through a customer's request.
import { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig<S extends z.ZodRawShape>(shape: S, env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<S>> {
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}

/** Reusable variable shapes. */
export const env = {
  url: (fallback?: string) => (fallback === undefined ? z.string().url() : z.string().url().default(fallback)),
  int: (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(fallback),
  secret: (minLength = 32) => z.string().min(minLength, `must be at least ${minLength} characters`),
  name: (fallback: string) => z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower-case letters, digits and _').default(fallback),
};
