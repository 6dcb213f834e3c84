import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';

function capture() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: { cwd: process.cwd(), stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env: {}, isTTY: false },
  };
}

describe('cli', () => {
  it('prints help and exits 0', async () => {
    const { out, io } = capture();
    expect(await main(['--help'], io)).toBe(0);
    expect(out.stdout).toContain('Usage: plan-tasks');
  });
  it('rejects an unknown option with exit 2 and no stack', async () => {
    const { out, io } = capture();
    expect(await main(['lint', '--bogus'], io)).toBe(2);
    expect(out.stderr).toMatch(/plan-tasks: Unknown option '--bogus'/);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });
});
