/**
 * docs/cli.md against the program: every command `buildProgram` registers has a section, every
 * option of it is in that section, and no section documents an option its commands do not have.
 * Walks whatever is registered, so a new command or option fails here until it is documented.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli.js';

const DOC = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8');

const program = buildProgram({ out: () => {}, err: () => {}, isTTY: false }, { code: 0 });
// `bench` passes every argument to apps/bench (allowUnknownOption); it has no options of its own.
const commands = program.commands.filter((c) => c.name() !== 'help');

interface Section {
  heading: string;
  body: string;
  /** Commands the heading names in backticks (`vgp cliff`, `run`). */
  names: string[];
}

/** The `## ` sections of the page, each with the command names its heading puts in backticks. */
function sections(md: string): Section[] {
  return md
    .split(/^## /m)
    .slice(1)
    .map((block) => {
      const heading = block.slice(0, block.indexOf('\n'));
      const names = [...heading.matchAll(/`(?:vgp )?([a-z-]+)`/g)].map((m) => m[1] as string);
      return { heading, body: block, names };
    });
}

const SECTIONS = sections(DOC);

function sectionsOf(cmd: Command): Section[] {
  return SECTIONS.filter((s) => s.names.includes(cmd.name()));
}

/** Flags a section's option tables list: the first cell of each table row. */
function tableFlags(body: string): string[] {
  const flags: string[] = [];
  for (const line of body.split('\n')) {
    const cell = /^\|\s*([^|]*?)\s*\|/.exec(line)?.[1] ?? '';
    for (const m of cell.matchAll(/`([^`]*)`/g)) {
      for (const f of (m[1] as string).matchAll(/(^|[\s,])(--?[a-zA-Z][\w-]*)/g)) flags.push(f[2] as string);
    }
  }
  return flags;
}

describe('docs/cli.md matches the commander definitions', () => {
  it('registers the commands the page is about', () => {
    expect(commands.map((c) => c.name())).toEqual(
      expect.arrayContaining(['compare', 'run', 'diagnose', 'presets', 'cliff', 'bench']),
    );
  });

  for (const cmd of commands) {
    describe(`vgp ${cmd.name()}`, () => {
      it('appears in the command summary and has its own section', () => {
        const inSummary = new RegExp(`^vgp ${cmd.name()}\\b`, 'm').test(DOC);
        expect(inSummary, `a 'vgp ${cmd.name()} ...' line in the summary at the top`).toBe(true);
        expect(sectionsOf(cmd).map((s) => s.heading)).not.toEqual([]);
      });

      it('has every option in its section', () => {
        const text = sectionsOf(cmd)
          .map((s) => s.body)
          .join('\n');
        const missing = cmd.options
          .flatMap((o) => [o.long, o.short])
          .filter((f): f is string => !!f)
          .filter((f) => !new RegExp(`(^|[^\\w-])${f}(?![\\w-])`).test(text));
        expect(missing, `options of vgp ${cmd.name()} missing from docs/cli.md`).toEqual([]);
      });
    });
  }

  it('documents no option that no command of its section has', () => {
    const stale: string[] = [];
    // The tables are found at all (a broken parser would pass vacuously).
    expect(SECTIONS.flatMap((s) => tableFlags(s.body)).length).toBeGreaterThan(40);
    for (const s of SECTIONS) {
      const cmds = commands.filter((c) => s.names.includes(c.name()));
      if (cmds.length === 0) continue;
      const known = new Set(cmds.flatMap((c) => c.options.flatMap((o) => [o.long, o.short])));
      for (const f of tableFlags(s.body)) if (!known.has(f)) stale.push(`${s.heading}: ${f}`);
    }
    expect(stale).toEqual([]);
  });
});
