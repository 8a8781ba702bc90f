import { getPreset, PRESETS, stringifyJson } from '@vgp/nn';
import Table from 'cli-table3';
import { emit, type Io } from '../io.js';

/** `vgp presets [NAME]`: the list, or one preset's explanation and config. */
export function presetsCommand(io: Io, name: string | undefined, opts: { json?: boolean }): number {
  if (name === undefined) {
    if (opts.json) {
      emit(io, stringifyJson(PRESETS.map(({ name, title, citation }) => ({ name, title, citation }))));
      return 0;
    }
    const table = new Table({
      head: ['preset', 'what it shows', 'runs', 'steps'],
      style: { head: [], border: [], compact: true },
    });
    for (const p of PRESETS)
      table.push([p.name, p.title, String(1 + p.variants.length), String(p.base.steps)]);
    emit(io, `${table.toString()}\n\nRun one: vgp compare --preset <name>   Read one: vgp presets <name>`);
    return 0;
  }
  const p = getPreset(name);
  if (opts.json) {
    emit(io, stringifyJson(p));
    return 0;
  }
  const runs = [p.base.label ?? 'base', ...p.variants.map((v) => v.label)].join(' | ');
  emit(
    io,
    [
      `${p.name}: ${p.title}`,
      '',
      wrap(p.explanation),
      '',
      `Watch: ${p.watch}.`,
      `Runs: ${runs}`,
      `Source: ${p.citation}`,
      '',
      `vgp compare --preset ${p.name}`,
    ].join('\n'),
  );
  return 0;
}

/** Wraps a paragraph at 96 columns for the terminal. */
function wrap(text: string, width = 96): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
