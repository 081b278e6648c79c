import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseArgs } from '../../extension/src/headless/args';

test('defaults', () => {
  assert.deepEqual(parseArgs([]), { ok: true, args: { json: false, fix: false, noColor: false, redact: false, untrusted: false, help: false } });
});

test('every option, with separate and = values', () => {
  const r = parseArgs(['ws.code-workspace', '--json', '--fix', '--user-settings', 'u.json', '--snapshot-out=s.json', '--timeout', '1500', '--no-color', '--redact', '--untrusted']);
  assert.deepEqual(r, {
    ok: true,
    args: { target: 'ws.code-workspace', json: true, fix: true, userSettings: 'u.json', snapshotOut: 's.json', timeoutMs: 1500, noColor: true, redact: true, untrusted: true, help: false },
  });
});

test('--vscode-logs names an extension host log dir', () => {
  const r = parseArgs(['--vscode-logs', '/home/gopher/.config/Code/logs/20261126T101500/window1/exthost']);
  assert.deepEqual(r.ok && r.args.vscodeLogs, '/home/gopher/.config/Code/logs/20261126T101500/window1/exthost');
  assert.deepEqual(parseArgs(['--vscode-logs']), { ok: false, error: '--vscode-logs needs a directory' });
});

test('bad usage is an error, not an exception', () => {
  assert.deepEqual(parseArgs(['--nope']), { ok: false, error: 'unknown option --nope' });
  assert.equal(parseArgs(['--timeout', '0']).ok, false);
  assert.equal(parseArgs(['--timeout', 'x']).ok, false);
  assert.equal(parseArgs(['--timeout']).ok, false);
  assert.equal(parseArgs(['--user-settings', '--json']).ok, false);
  assert.deepEqual(parseArgs(['a', 'b']), { ok: false, error: 'one folder or workspace file expected, got 2: a b' });
});
