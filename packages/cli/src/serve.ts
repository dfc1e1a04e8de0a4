import { basename } from 'node:path';
import { DataSanitizer, escapeText, LEVELS, type LogRecord, levelName } from 'hydra-logger';
import { type CommandSpec, type ParsedArgs, positiveInt, UsageError } from './args.js';
import { FileFollower } from './follow.js';
import { lastLines } from './last-lines.js';
import { readLines } from './read-lines.js';
import { parseLine } from './record.js';

export const serveSpec: CommandSpec = {
  name: 'serve',
  usage: 'hydra serve [--port <port>] [--host <host>] [--tail <files…>] [--token-secret <secret>]',
  short: 'live dashboard and WebSocket bridge, fed by stdin (a pipe) and by tailing files',
  summary:
    'Starts a live bridge with its dashboard (@hydra-logger/bridge) and prints its address.\n' +
    'When stdin is a pipe or a file (`node app.js | hydra serve`), and with --tail for files, every\n' +
    'line read becomes a record of the stream (JSON lines of hydra-logger, pino or bunyan; other\n' +
    'lines as INFO records with the line as message). The dashboard stays up when stdin ends.',
  flags: [
    {
      name: 'port',
      short: 'p',
      kind: 'value',
      value: '<port>',
      help: 'port to listen on (default 8080; 0: any free port)',
    },
    { name: 'host', kind: 'value', value: '<host>', help: 'address to listen on (default 127.0.0.1)' },
    {
      name: 'tail',
      kind: 'list',
      value: '<files…>',
      help: 'follow these files into the stream (across rotation and truncation)',
    },
    {
      name: 'lines',
      short: 'n',
      kind: 'value',
      value: '<count>',
      help: 'with --tail: last lines of each file to publish first (default 100)',
    },
    {
      name: 'token-secret',
      kind: 'value',
      value: '<secret>',
      help: 'require signed tokens (default: HYDRA_BRIDGE_TOKEN_SECRET); an admin token is printed',
    },
  ],
  positionals: { min: 0, max: 0, name: '' },
  notes:
    'Examples:\n  node app.js | hydra serve\n  hydra serve --tail logs/app.log --port 9000\n\n' +
    'Without a token secret every client on this machine is admin and other machines are refused.\n' +
    'Records from stdin and tailed files are redacted with the core default rules before they are published.\n' +
    'Stops cleanly on SIGINT/SIGTERM. Exit codes: 0 stopped, 1 cannot listen, 2 bad usage.',
};

/** How long the printed admin token is valid. */
const TOKEN_TTL_SECONDS = 12 * 3600;

export async function runServe(args: ParsedArgs): Promise<number> {
  const port = positiveInt('port', args.values.get('port'), 8080);
  if (port > 65535) throw new UsageError(`--port expects a port number 0–65535, got ${port}`);
  const host = args.values.get('host') ?? '127.0.0.1';
  const backfill = positiveInt('lines', args.values.get('lines'), 100);
  const secret = args.values.get('token-secret') ?? (process.env.HYDRA_BRIDGE_TOKEN_SECRET || undefined);
  const files = args.lists.get('tail') ?? [];
  // Loaded here: only `serve` pays for the bridge and ws.
  const { createBridge, createToken } = await import('@hydra-logger/bridge');
  let bridge: ReturnType<typeof createBridge>;
  try {
    bridge = createBridge(secret === undefined ? {} : { tokenSecret: secret });
  } catch (err) {
    throw new UsageError(`--token-secret: ${(err as Error).message}`);
  }
  bridge.on('error', (err: Error) => process.stderr.write(`hydra serve: ${err.message}\n`));
  let address: { port: number };
  try {
    address = await bridge.listen({ port, host });
  } catch (err) {
    process.stderr.write(`hydra serve: cannot listen on ${host}:${port}: ${(err as Error).message}\n`);
    await bridge.close();
    return 1;
  }
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const base = `http://${shownHost}:${address.port}${bridge.path}`;
  let lines = `hydra serve: dashboard at ${base}/\nhydra serve: WebSocket at ws://${shownHost}:${address.port}${bridge.path}/ws\n`;
  if (secret !== undefined) {
    const token = createToken(
      { sub: 'hydra-cli', role: 'admin', exp: Math.floor(Date.now() / 1000) + TOKEN_TTL_SECONDS },
      secret,
    );
    lines += `hydra serve: admin token (12 h): ${base}/?token=${token}\n`;
  } else if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1')
    lines += 'hydra serve: no token secret: clients from other machines are refused (set --token-secret)\n';
  process.stdout.write(lines);

  const sanitizer = new DataSanitizer();
  const publish = (file: string | undefined, batch: string[]) => {
    for (const line of batch)
      if (line.trim() !== '') bridge.publish(sanitizer.sanitizeRecord(toRecord(line, file)));
    return undefined;
  };
  // A pipe or a file on stdin (`node app.js | hydra serve`); a terminal is left alone.
  if (process.stdin.isTTY !== true)
    readLines('-', (batch) => publish(undefined, batch)).then(
      () => process.stderr.write('hydra serve: stdin ended, still serving\n'),
      (err: Error) => process.stderr.write(`hydra serve: cannot read stdin: ${escapeText(err.message)}\n`),
    );
  const followers: FileFollower[] = [];
  for (const file of files) {
    let from: number | 'end' = 'end';
    let ino: number | undefined;
    let fd: number | undefined;
    try {
      // The descriptor stays open for the follower: a rotation in between cannot skip lines.
      const last = lastLines(file, backfill, () => true, false, true);
      from = last.end;
      ino = last.ino;
      fd = last.fd;
      publish(file, last.lines);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        process.stderr.write(`hydra serve: cannot read ${escapeText(file)}: ${(err as Error).message}\n`);
        continue;
      }
    }
    const f = new FileFollower(file, {
      from,
      ino,
      fd,
      onLines: (batch) => publish(file, batch),
      onNotice: (m) => process.stderr.write(`hydra serve: ${escapeText(m)}\n`),
    });
    followers.push(f);
    f.start();
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  for (const f of followers) f.stop();
  await bridge.close();
  process.stderr.write(`hydra serve: stopped (${signal})\n`);
  return 0;
}

/**
 * A line read (from a tailed `file`, or stdin when `file` is undefined) as the record the bridge
 * streams: parsed when it is a JSON record, else an INFO record holding the line (with the file's
 * name as `file` when it came from a file).
 */
export function toRecord(line: string, file: string | undefined): LogRecord {
  const r = parseLine(line);
  const level = r?.level ?? LEVELS.INFO;
  const error = r?.stack === undefined ? undefined : { type: 'Error', message: r.message, stack: r.stack };
  // A GELF line's stack (`full_message`) travels as an `err` field, as the json format writes errors.
  const fields: Record<string, unknown> =
    r === undefined
      ? file === undefined
        ? {}
        : { file: basename(file) }
      : error === undefined
        ? r.fields
        : { ...r.fields, err: error };
  return {
    time: r?.time ?? Date.now(),
    level,
    levelName: levelName(level),
    layer: r?.layer ?? 'DEFAULT',
    message: r === undefined ? line : r.message,
    fields: Object.keys(fields).length === 0 ? undefined : fields,
    bindings: undefined,
    context: undefined,
    error,
    caller: undefined,
  };
}
