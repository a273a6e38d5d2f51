// Structured JSON logs, one line each, carrying the request's correlation id so that a
// customer's request can be followed across functions and events.
import { z } from 'zod';
import { liveSetting, loadConfig } from './config';

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const logSettings = {
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  SERVICE_NAME: z.string().min(1).default('cinema'),
};
const settings = loadConfig(logSettings);
// Checked per line, so a process can change its level after the module loaded.
const level = liveSetting('LOG_LEVEL', logSettings.LOG_LEVEL);
const threshold = () => order[level()];

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** One line of JSON per call; a child only adds fields, so a request's logger costs one object. */
class JsonLogger implements Logger {
  constructor(private readonly base: Record<string, unknown>) {}
  debug(msg: string, fields?: Record<string, unknown>) {
    this.write('debug', msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>) {
    this.write('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>) {
    this.write('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>) {
    this.write('error', msg, fields);
  }
  child(fields: Record<string, unknown>): Logger {
    return new JsonLogger({ ...this.base, ...fields });
  }
  private write(level: Level, msg: string, fields?: Record<string, unknown>) {
    if (order[level] < threshold()) return;
    const line = JSON.stringify({ level, time: new Date().toISOString(), msg, ...this.base, ...serialize(fields) });
    (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');
  }
}

export function createLogger(base: Record<string, unknown> = {}): Logger {
  return new JsonLogger(base);
}

function serialize(fields?: Record<string, unknown>) {
  if (!fields) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v;
  }
  return out;
}

export const log = createLogger({ service: settings.SERVICE_NAME });
