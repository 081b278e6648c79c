// The bundled headless CLI (dist/cli.js, built by `npm run build`) as a child process.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { Report } from '../../extension/src/engine/generated/Report';
import { Scenario, scenarioFactory } from '../helpers/scenario';
import * as tc from '../helpers/toolchains';

const CLI = path.join(tc.ROOT, 'dist', 'cli.js');
const skip = tc.skipScenarios || (!fs.existsSync(CLI) && `${CLI} is missing: run npm run build`);
const scenario = scenarioFactory();

function run(args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { env, cwd, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A folder with an error (bad GOFLAGS), a warning (no go.mod) and a deprecated setting. */
function broken(s: Scenario) {
  const app = s.folder('src/app', { 'main.go': 'package main\n\nfunc main() {}\n' });
  s.folderSettings(app, '{\n  // mine\n  "go.buildOnSave": "package"\n}\n');
  const env = s.env([path.dirname(tc.go('1.24').bin), '/usr/bin', '/bin'], { GOFLAGS: '-notaflag' });
  return { app, env };
}

describe('headless CLI (dist/cli.js)', { skip, concurrency: true }, () => {
  test('--json: the Report on stdout and nothing else, exit 1 while errors remain', () => {
    const s = scenario('cli-json');
    const { app, env } = broken(s);
    const r = run([app, '--json'], env, s.root);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.schema, 1);
    const codes = report.findings.map((f) => f.code);
    for (const c of ['GSD105', 'GSD301', 'GSD401']) assert.ok(codes.includes(c), codes.join(' '));
    assert.ok(report.summary.errors >= 1);
    assert.equal(report.checks.length, report.summary.passed + report.summary.skipped + report.summary.notApplicable + new Set(codes).size);
    // This is Linux and not a remote window: the macOS-only check says so instead of passing.
    assert.equal(report.checks.find((c) => c.code === 'GSD608')?.status, 'notApplicable');
  });

  test('plain text when piped: ✓ and ✗, no ANSI escapes, counts and timing in the footer', () => {
    const s = scenario('cli-text');
    const { app, env } = broken(s);
    const r = run([app], env, s.root);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.stdout.includes('✓'), r.stdout);
    assert.ok(r.stdout.includes('✗'), r.stdout);
    assert.ok(!r.stdout.includes('\u001b['), 'ANSI escapes in piped output');
    assert.match(r.stdout, /^Go Setup Doctor \(engine \d+\.\d+\.\d+\) — /);
    assert.match(r.stdout, /\nGo toolchain\n/);
    assert.match(r.stdout, /GSD105 go-env-failed {2}The go command fails/);
    assert.match(r.stdout, /go: parsing \$GOFLAGS: unknown flag -notaflag/);
    assert.match(r.stdout, /fix \(safe\): Remove `go\.buildOnSave` from folder settings/);
    assert.match(r.stdout, /\n\d+ errors?, \d+ warnings?(, \d+ info)?; \d+ checks passed, \d+ skipped, \d+ not applicable here {2}\(gather \d+ ms, engine \d+ ms\)\n/);
    assert.ok(!r.stdout.includes('macOS has what delve needs'), 'a macOS-only check listed on Linux');
  });

  test('--fix on the real files, then a clean exit once no errors remain', () => {
    const s = scenario('cli-fix');
    const { app } = broken(s);
    const env = s.env([path.dirname(tc.go('1.24').bin), '/usr/bin', '/bin']);
    const r = run([app, '--fix', '--json'], env, s.root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /✓ GSD301 Remove `go\.buildOnSave`/);
    const report = JSON.parse(r.stdout) as Report;
    assert.ok(!report.findings.some((f) => f.code === 'GSD301'));
    assert.equal(fs.readFileSync(path.join(app, '.vscode', 'settings.json'), 'utf8'), '{\n  // mine\n}\n');
  });

  test('--snapshot-out and --redact', () => {
    const s = scenario('cli-redact');
    const { app, env } = broken(s);
    const out = s.path('snap.json');
    const r = run([app, '--json', '--redact', '--snapshot-out', out], { ...env, GOPROXY: 'https://bob:s3cret@proxy.example.com' }, s.root);
    assert.equal(r.code, 1, r.stderr);
    const snap = fs.readFileSync(out, 'utf8');
    assert.ok(!snap.includes('s3cret') && !snap.includes(s.home), 'secrets or home left in the snapshot');
    assert.ok(snap.includes('https://***@proxy.example.com'));
    assert.ok(!r.stdout.includes(s.home));
  });

  test('bad usage and a missing folder exit 2 with a clear message', () => {
    const s = scenario('cli-usage');
    const env = s.env(['/usr/bin', '/bin']);
    const missing = run([s.path('no-such-folder')], env, s.root);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no-such-folder does not exist/);
    assert.equal(missing.stdout, '');
    const bad = run(['--frobnicate'], env, s.root);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown option --frobnicate/);
    const timeout = run(['--timeout', 'soon'], env, s.root);
    assert.equal(timeout.code, 2);
  });
});
