import { runCli } from '../src/cli.js';

/** Runs the CLI in-process and captures what it prints (no terminal, so no progress bar). */
export async function vgp(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
    isTTY: false,
  });
  return { code, out, err };
}
