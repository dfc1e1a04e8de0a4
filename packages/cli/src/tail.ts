import { escapeText } from 'hydra-logger';
import { type CommandSpec, type ParsedArgs, positiveInt } from './args.js';
import { FileFollower } from './follow.js';
import { lastLines } from './last-lines.js';
import { Output } from './output.js';
import { createView, VIEW_FLAGS } from './view.js';

export const tailSpec: CommandSpec = {
  name: 'tail',
  usage: 'hydra tail <files…> [-f] [-n <count>] [options]',
  short: 'last lines of log files, then follow them (-f) across rotation and truncation',
  summary:
    'Prints the last lines of log files, pretty like `hydra pretty` (or --raw), then with -f\n' +
    'follows them across rotation (rename + new file) and truncation (copytruncate).\n' +
    'With several files each line starts with its file name.',
  flags: [
    { name: 'follow', short: 'f', kind: 'switch', help: 'keep following the files (stop with Ctrl-C)' },
    {
      name: 'lines',
      short: 'n',
      kind: 'value',
      value: '<count>',
      help: 'how many lines to print first (default 10); with filters, the last matching ones',
    },
    { name: 'raw', kind: 'switch', help: 'print the lines as they are (filters still apply)' },
    ...VIEW_FLAGS,
  ],
  positionals: { min: 1, max: Number.POSITIVE_INFINITY, name: 'a file to tail' },
  notes:
    'Examples:\n  hydra tail logs/app.log -f --level warn\n  hydra tail logs/*.log -n 50 --raw\n\n' +
    'Exit codes: 0 done (or stopped by SIGINT/SIGTERM), 1 a file cannot be read (without -f), 2 bad usage.',
};

export async function runTail(args: ParsedArgs): Promise<number> {
  const count = positiveInt('lines', args.values.get('lines'), 10);
  const follow = args.switches.has('follow');
  const { view } = createView(args, args.switches.has('raw'));
  const out = new Output();
  const files = args.positionals;
  // The prefix is data too (a file name may hold control characters).
  const prefix = (file: string) => (files.length > 1 ? `${escapeText(file)}: ` : '');
  const show = (file: string, lines: string[]): Promise<void> | undefined => {
    let text = '';
    for (const line of lines) {
      const shown = view(line);
      if (shown === undefined) continue;
      // A record with stacks is several lines: each gets the prefix.
      const p = prefix(file);
      text += p === '' ? shown : shown.replace(/^(?=.)/gm, p);
    }
    return out.write(text);
  };
  const keep = (line: string) => view(line) !== undefined;
  let status = 0;
  const followers: FileFollower[] = [];
  for (const file of files) {
    let start: { end: number | 'end'; ino: number | undefined; fd: number | undefined } = {
      end: 'end',
      ino: undefined,
      fd: undefined,
    };
    try {
      // With -f the descriptor stays open from this first read on: a rotation before following
      // starts cannot skip what was written to the old file meanwhile.
      const last = count === 0 && !follow ? undefined : lastLines(file, count, keep, !follow, follow);
      if (last !== undefined) {
        start = { end: last.end, ino: last.ino, fd: last.fd };
        await show(file, last.lines);
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (!(follow && code === 'ENOENT')) {
        process.stderr.write(`hydra tail: cannot read ${file}: ${code ?? (err as Error).message}\n`);
        status = 1;
        continue;
      }
    }
    if (follow)
      followers.push(
        new FileFollower(file, {
          from: start.end,
          ino: start.ino,
          fd: start.fd,
          onLines: (lines) => show(file, lines),
          onNotice: (m) => process.stderr.write(`hydra tail: ${escapeText(m)}\n`),
        }),
      );
  }
  if (!follow || followers.length === 0) {
    await out.flush();
    return status;
  }
  for (const f of followers) f.start();
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  for (const f of followers) f.stop();
  await out.flush();
  return 0;
}
