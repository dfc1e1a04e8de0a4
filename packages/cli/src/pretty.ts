import type { CommandSpec, ParsedArgs } from './args.js';
import { Output } from './output.js';
import { readLines } from './read-lines.js';
import { createView, VIEW_FLAGS } from './view.js';

export const prettySpec: CommandSpec = {
  name: 'pretty',
  usage: 'hydra pretty [file] [options]',
  short: 'JSON log lines (hydra-logger, pino, bunyan) from a file or stdin → readable, coloured lines',
  summary:
    'Turns JSON log lines (hydra-logger json/gelf, pino, bunyan) from a file or stdin into readable,\n' +
    'coloured lines: time, level, layer, message, fields as key=value, error stacks below.\n' +
    'Lines that are not JSON records are written unchanged.',
  flags: VIEW_FLAGS,
  positionals: { min: 0, max: 1, name: 'file' },
  notes:
    'Examples:\n  node app.js | hydra pretty\n  hydra pretty logs/app.log --level warn --layer DB,AUTH --time iso\n\n' +
    'Colour on a terminal; NO_COLOR turns it off, FORCE_COLOR on (also into a pipe).\n' +
    'Exit codes: 0 done, 1 the file cannot be read, 2 bad usage.',
};

export async function runPretty(args: ParsedArgs): Promise<number> {
  const { view } = createView(args);
  const out = new Output();
  await readLines(args.positionals[0], (lines) => {
    let text = '';
    for (const line of lines) text += view(line) ?? '';
    return out.write(text);
  });
  await out.flush();
  return 0;
}
