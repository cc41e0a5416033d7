// One JSON line per event on stdout, so a host can pipe the relay into any log system.
// Payloads are never logged; room ids only through shortRoom, which keeps a short prefix.

export type LogLevel = 'debug' | 'info' | 'silent';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const RANK = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  const min = RANK[level];
  const emit = (at: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: LogFields) => {
    if (RANK[at] < min) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...fields })}\n`);
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}

/** A room id is a capability-derived name: log only enough of it to correlate lines. */
export const shortRoom = (room: string): string => `${room.slice(0, 6)}…`;
