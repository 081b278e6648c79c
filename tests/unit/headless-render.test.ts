// render.ts is pure: a Report from the real engine (on a fixture snapshot) in, text out.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { runEngine } from '../../extension/src/engine/index';
import type { Report } from '../../extension/src/engine/generated/Report';
import type { Snapshot } from '../../extension/src/engine/generated/Snapshot';
import { formatLocation, renderReport, summaryLine } from '../../extension/src/headless/render';

const GO = '/usr/lib/go-1.24/bin/go';
const ok = (argv: string[], stdout: string) => ({ argv, envOverrides: {}, stdout, stderr: '', exitCode: 0, timedOut: false, timeoutMs: 5000, truncated: false, durationMs: 9 });
const FOLDER_SETTINGS = 'file:///home/gopher/src/hello/.vscode/settings.json';

/** A snapshot with a GOROOT mismatch from the env, a deprecated setting, Go files without go.mod,
 *  and the tools probe skipped. */
function fixture(): Snapshot {
  return {
    schema: 1,
    origin: 'fixture: render test',
    host: { os: 'linux', arch: 'x64', machine: 'x86_64', shell: '/bin/bash', home: '/home/gopher' },
    env: { PATH: '/usr/lib/go-1.24/bin:/home/gopher/go/bin:/usr/bin:/bin', HOME: '/home/gopher', GOROOT: '/usr/lib/go-1.19' },
    settings: [
      { scope: 'user', uri: 'file:///home/gopher/.config/Code/User/settings.json', text: '{}\n' },
      { scope: 'workspaceFolder', uri: FOLDER_SETTINGS, folder: 'file:///home/gopher/src/hello', text: '{\n  // x\n  "go.buildOnSave": "package"\n}\n' },
    ],
    goCandidates: [{ path: GO, realPath: GO, source: 'path', executable: true, version: ok([GO, 'version'], 'go version go1.24.4 linux/amd64\n') }],
    go: {
      candidate: 0,
      version: ok([GO, 'version'], 'go version go1.24.4 linux/amd64\n'),
      env: ok(
        [GO, 'env', '-json'],
        JSON.stringify({ GOROOT: '/usr/lib/go-1.19', GOPATH: '/home/gopher/go', GOVERSION: 'go1.24.4', GOARCH: 'amd64', GOHOSTARCH: 'amd64', GOOS: 'linux', GOHOSTOS: 'linux', GOTOOLDIR: '/usr/lib/go-1.19/pkg/tool/linux_amd64', GOMOD: '/dev/null' }),
      ),
    },
    tools: [],
    workspace: { folders: [{ uri: 'file:///home/gopher/src/hello', path: '/home/gopher/src/hello', goFiles: ['main.go'], nestedModules: [], filesVisited: 1, walkCapped: false }] },
    skippedProbes: [{ probe: 'tools', reason: 'not run in this fixture' }],
  };
}

const report: Report = runEngine(fixture());
const plain = renderReport(report, { color: false, target: '/home/gopher/src/hello', gatherMs: 412.4, engineMs: 3.2 });
const lines = plain.split('\n');

describe('renderReport', () => {
  test('the engine found what the fixture holds', () => {
    const codes = report.findings.map((f) => f.code);
    for (const c of ['GSD103', 'GSD301', 'GSD401']) assert.ok(codes.includes(c), codes.join(' '));
    assert.equal(report.checks.find((c) => c.code === 'GSD201')?.status, 'skipped');
  });

  test('header, then categories in the engine’s order, one line per check', () => {
    assert.equal(lines[0], `Go Setup Doctor (engine ${report.engineVersion}) — /home/gopher/src/hello`);
    const titles = lines.filter((l) => /^[A-Z]/.test(l)).slice(1);
    const order = ['Go toolchain', 'Tools', 'VS Code settings', 'Workspace and modules'];
    assert.deepEqual(
      titles.filter((t) => order.includes(t)),
      order,
    );
    const checkLines = lines.filter((l) => /^ {2}[✓!✗–•] /.test(l));
    assert.equal(checkLines.length, report.checks.filter((c) => c.status !== 'notApplicable').length);
  });

  test('marks: ✓ passed, ✗ error, ! warning, – skipped with its reason', () => {
    const summary = (code: string) => report.checks.find((c) => c.code === code)?.summary;
    assert.ok(lines.includes(`  ✓ ${summary('GSD101')}`), plain);
    assert.ok(lines.includes(`  ✗ ${summary('GSD103')}`), plain);
    assert.ok(lines.includes(`  ! ${summary('GSD401')}`), plain);
    assert.ok(lines.includes(`  – ${summary('GSD201')} (skipped: not run in this fixture)`), plain);
  });

  test('a finding: code and name with title, message, evidence indented, location, fixes', () => {
    const f = report.findings.find((x) => x.code === 'GSD103');
    assert.ok(f);
    const at = lines.indexOf(`      GSD103 goroot-mismatch  ${f.title}`);
    assert.ok(at > 0, plain);
    assert.equal(lines[at + 1], `      ${f.message}`);
    for (const e of f.evidence) assert.ok(lines.includes(`          ${e}`), e);
    assert.ok(lines.includes('      fix (manual): Remove `export GOROOT=...` from your shell profile, run `unset GOROOT`, and restart VS Code'), plain);
    assert.ok(lines.includes('          $ unset GOROOT'), plain);

    const dep = report.findings.find((x) => x.code === 'GSD301');
    assert.ok(dep?.location);
    assert.ok(lines.includes('      at /home/gopher/src/hello/.vscode/settings.json:3:3'), plain);
    assert.ok(lines.includes('      fix (safe): Remove `go.buildOnSave` from folder settings'), plain);
    assert.ok(lines.some((l) => /^ {10}edit \/home\/gopher\/src\/hello\/\.vscode\/settings\.json:\d+:\d+$/.test(l)), plain);

    assert.ok(lines.some((l) => /^ {6}fix \(needs review\): Create a module: go mod init example\.com\/hello$/.test(l)), plain);
    assert.ok(lines.includes(`          $ ${GO} mod init example.com/hello   (in /home/gopher/src/hello)`), plain);
  });

  test('footer: counts and timing', () => {
    const s = report.summary;
    const footer = lines.find((l) => l.startsWith(`${s.errors} error`));
    assert.equal(footer, `${summaryLine(report)}  (gather 412 ms, engine 3 ms)`);
    assert.match(summaryLine(report), /^\d+ errors?, \d+ warnings?(, \d+ info)?; \d+ checks? passed, \d+ skipped(, \d+ not applicable here)?$/);
  });

  test('colour only when asked; plain output has no escapes', () => {
    assert.ok(!plain.includes('\u001b['));
    const coloured = renderReport(report, { color: true });
    assert.ok(coloured.includes('\u001b[31m✗\u001b[0m'));
    assert.ok(coloured.includes('\u001b[32m✓\u001b[0m'));
    assert.equal(coloured.replace(/\u001b\[\d+m/g, ''), renderReport(report, { color: false }));
  });

  test('a clean report says so', () => {
    const clean: Report = { ...report, findings: [], checks: report.checks.map((c) => ({ ...c, status: 'passed' })), summary: { errors: 0, warnings: 0, infos: 0, passed: report.checks.length, skipped: 0, notApplicable: 0 } };
    const text = renderReport(clean, { color: false });
    assert.match(text, /\n0 errors, 0 warnings; \d+ checks passed, 0 skipped\n• No issues found!\n$/);
  });

  test('summaryLine pluralises', () => {
    const r = (errors: number, warnings: number, infos: number, passed: number, skipped: number, notApplicable = 0): Report => ({ ...report, summary: { errors, warnings, infos, passed, skipped, notApplicable } });
    assert.equal(summaryLine(r(2, 1, 0, 11, 1)), '2 errors, 1 warning; 11 checks passed, 1 skipped');
    assert.equal(summaryLine(r(1, 0, 2, 1, 0)), '1 error, 0 warnings, 2 info; 1 check passed, 0 skipped');
    assert.equal(summaryLine(r(0, 0, 0, 40, 2, 8)), '0 errors, 0 warnings; 40 checks passed, 2 skipped, 8 not applicable here');
  });

  test('checks for another platform are not listed as passed', () => {
    // The fixture is a Linux host: the macOS-only checks are not applicable, and neither the
    // terminal report nor its summary claims they passed.
    const rosetta = report.checks.find((c) => c.code === 'GSD601');
    assert.equal(rosetta?.status, 'notApplicable');
    assert.equal(rosetta?.reason, 'applies to macOS');
    assert.ok(report.summary.notApplicable >= 1);
    assert.ok(!plain.includes(rosetta!.summary), plain);
    assert.ok(plain.includes(`, ${report.summary.notApplicable} not applicable here`), plain);
  });

  test('locations are 1-based path:line:col', () => {
    assert.equal(
      formatLocation({ uri: 'file:///a%20b/s.json', range: { start: { line: 0, character: 4 }, end: { line: 0, character: 5 }, startOffset: 4, endOffset: 5 } }),
      '/a b/s.json:1:5',
    );
  });

  test('the committed fixture snapshots render too', () => {
    const dir = path.join(__dirname, '..', 'fixtures', 'snapshots');
    for (const name of fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.json')) : []) {
      const r = runEngine(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Snapshot);
      const text = renderReport(r, { color: false });
      assert.ok(text.endsWith('\n') && text.includes(summaryLine(r)), name);
    }
  });
});
