// A saved Snapshot replays through the WASM engine and the native CLI with the same Report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { runEngine, engineRules, engineVersion } from '../../extension/src/engine';

const root = path.resolve(__dirname, '../..');
const fixtures = path.join(root, 'tests/fixtures/snapshots');

function nativeCli(): string {
  execFileSync('cargo', ['build', '-q', '-p', 'gsd-cli'], { cwd: root, stdio: 'inherit' });
  // Where cargo put it (CARGO_TARGET_DIR, .cargo/config): never a guessed path.
  const meta = JSON.parse(execFileSync('cargo', ['metadata', '-q', '--format-version', '1', '--no-deps'], { cwd: root, encoding: 'utf8' }));
  return path.join(meta.target_directory, 'debug', 'go-setup-doctor');
}

test('every fixture snapshot gives the same report in WASM and natively', () => {
  const cli = nativeCli();
  const files = fs.readdirSync(fixtures).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 2);
  for (const f of files) {
    const snapshot = JSON.parse(fs.readFileSync(path.join(fixtures, f), 'utf8'));
    const wasm = runEngine(snapshot);
    let out: string;
    try {
      out = execFileSync(cli, ['check', path.join(fixtures, f), '--format', 'json'], { encoding: 'utf8' });
    } catch (e: any) {
      out = e.stdout; // exit 1 when errors were found
    }
    assert.deepEqual(JSON.parse(out), JSON.parse(JSON.stringify(wasm)), f);
    assert.equal(wasm.checks.length, engineRules().length, f);
  }
});

test('protocol errors throw a clear message; everything else is data', () => {
  assert.throws(() => runEngine({ schema: 99 } as any), /unsupported snapshot schema 99/);
  assert.throws(() => runEngine({ schema: 1, host: 'nope' } as any), /does not match schema 1/);
  const empty = runEngine({ schema: 1 } as any);
  assert.equal(empty.schema, 1);
  assert.equal(empty.engineVersion, engineVersion());
});

test('garbage inside a valid snapshot never crashes the engine', () => {
  const s = {
    schema: 1,
    settings: [
      { scope: 'user', uri: 'file:///u.json', text: '{"go.languageServerFlags": [1, null, {"x": "--bad"}], "gopls": "str",' },
      { scope: 'workspaceFolder', uri: 'file:///w.json', text: '\u0000\uFFFF{{{' },
      { scope: 'workspaceFile', uri: 'file:///w.code-workspace', text: '{"settings": 3}' },
    ],
    go: { candidate: 7, version: { argv: [], stdout: 'go version gogogo', stderr: '', timedOut: false } },
    toolsBuildInfo: { argv: [], stdout: '\t\tmod\n: \n\tbuild\n', stderr: '' },
    workspace: { folders: [{ uri: 'file:///x', path: '', goFiles: ['a.go'] }] },
  };
  const r = runEngine(s as any);
  assert.ok(r.findings.some((f) => f.code === 'GSD311'));
});
