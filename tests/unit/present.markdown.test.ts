// present/markdown.ts: the "Copy Go setup report" Markdown, redacted, on real engine Reports.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Snapshot } from '../../extension/src/engine/generated/Snapshot';
import {
  buildMarkdownReport,
  isGoRelevantKey,
  OMITTED,
  omitUnrelatedSettings,
  redactOptionsFor,
  redactSnapshot,
} from '../../extension/src/present/markdown';
import { brokenSnapshot, fixtureNames, loadFixture, report, USER_TEXT } from './present.fixtures';

/** The JSON inside the collapsed snapshot block. */
function snapshotJson(md: string): Snapshot {
  const m = /<details><summary>Snapshot[^\n]*\n\n(`{3,})json\n([\s\S]*?)\n\1\n/.exec(md);
  assert.ok(m, 'snapshot block present');
  return JSON.parse(m[2]) as Snapshot;
}

describe('report of a broken workspace', () => {
  const snapshot = brokenSnapshot();
  const r = report(snapshot);
  const md = buildMarkdownReport({ report: r, snapshot, extensionVersion: '0.1.0' });

  test('has the summary, every finding with its fixes, and every check', () => {
    assert.match(md, /^# Go setup report\n/);
    assert.match(md, /_Go Setup Doctor 0\.1\.0, engine \d+\.\d+\.\d+, snapshot schema 1\./);
    assert.match(md, /\*\*Summary:\*\* \d+ warnings?/);
    for (const f of r.findings) {
      assert.ok(md.includes(`: ${f.code} ${f.title}`), `${f.code} heading`);
      assert.ok(md.includes(`https://github.com/go-setup-doctor/go-setup-doctor/blob/main/${f.doc}`), `${f.code} doc link`);
    }
    for (const c of r.checks) assert.match(md, new RegExp(`^\\| ${c.code} \\| `, 'm'));
    assert.match(md, /- \*\*needs review\*\*: Create a module: go mod init example\.com\/hello\n  - run in `~\/src\/hello`: `~\/sdk\/gotip\/bin\/go mod init example\.com\/hello`/);
    assert.match(md, /- \*\*manual\*\*: Install a current Go/);
    assert.match(md, /Location: `~\/src\/hello\/\.vscode\/settings\.json:\d+:\d+`/);
    assert.match(md, /^\| Settings layers \| user, workspaceFolder \|$/m);
  });

  test('redacts credentials, the home directory and the user name', () => {
    assert.ok(!md.includes('s3cr3t-tok3n'), 'proxy token');
    assert.ok(!md.includes('/Users/gopher'), 'home directory');
    assert.ok(!/\bgopher\b/.test(md), 'user name');
    assert.ok(md.includes('https://***@proxy.corp.example/go'), 'the proxy host stays');
    assert.ok(md.includes('~/src/hello'));
  });

  test('settings unrelated to Go keep their key but not their value', () => {
    assert.ok(!md.includes('hunter2'));
    const replay = snapshotJson(md);
    const user = replay.settings.find((l) => l.scope === 'user')!;
    assert.ok(user.text!.includes(`"sqltools.connections": ${OMITTED}`));
    assert.ok(user.text!.includes('"go.useLanguageServer": true'));
    assert.ok(user.text!.includes('// editor'));
  });

  test('the redacted snapshot replays to the same findings', () => {
    const replay = snapshotJson(md);
    const codes = (s: Snapshot) => report(s).findings.map((f) => `${f.code}@${f.location?.range.start.line ?? '-'}`).sort();
    assert.deepEqual(codes(replay), codes(snapshot));
  });

  test('omitSnapshot leaves the JSON out', () => {
    const short = buildMarkdownReport({ report: r, snapshot, omitSnapshot: true });
    assert.ok(!short.includes('<details>'));
    assert.ok(short.length < md.length);
  });
});

test('every fixture renders, and its snapshot block parses', () => {
  for (const name of fixtureNames()) {
    const s = loadFixture(name);
    const md = buildMarkdownReport({ report: report(s), snapshot: s });
    assert.match(md, /## Findings/, name);
    assert.match(md, /## Environment/, name);
    assert.equal(snapshotJson(md).schema, s.schema, name);
    assert.ok(!md.includes(s.host.home ?? '\u0000'), `${name}: home redacted`);
  }
});

test('a failed run still gives a report with what was gathered', () => {
  const s = loadFixture('macos-arm64-native.json');
  const md = buildMarkdownReport({ snapshot: s, failure: 'engine crashed: unreachable' });
  assert.match(md, /> \*\*The diagnosis failed:\*\* engine crashed: unreachable/);
  assert.ok(!md.includes('## Findings'));
  assert.match(md, /## Environment/);
  assert.ok(md.includes('<details>'));
});

test('omitUnrelatedSettings keeps Go settings, comments and layout', () => {
  const out = omitUnrelatedSettings(USER_TEXT, false);
  assert.equal(out.split('\n').length, USER_TEXT.split('\n').length);
  assert.ok(out.includes('"editor.fontSize": 13'));
  assert.ok(out.includes('"gopls": { "ui.semanticTokens": true }'));
  assert.ok(out.includes(`"sqltools.connections": ${OMITTED},`));

  const ws = `{
  "folders": [{ "path": "a" }],
  "settings": { "go.goroot": "/usr/local/go", "remote.SSH.password": "x" },
  "extensions": { "recommendations": ["golang.go"] },
}`;
  const wsOut = omitUnrelatedSettings(ws, true);
  assert.ok(wsOut.includes('"folders": [{ "path": "a" }]'));
  assert.ok(wsOut.includes('"go.goroot": "/usr/local/go"'));
  assert.ok(wsOut.includes(`"remote.SSH.password": ${OMITTED}`));
  assert.ok(wsOut.includes(`"extensions": ${OMITTED}`));
  // Broken JSONC is not made worse.
  assert.equal(omitUnrelatedSettings('{ "go.goroot": ', false).startsWith('{ "go.goroot": '), true);

  for (const k of ['go.goroot', 'gopls', '[go]', '[go.mod]', '[go][go.mod]', 'editor.formatOnSave', 'files.watcherExclude']) assert.ok(isGoRelevantKey(k), k);
  for (const k of ['sqltools.connections', 'github.copilot.advanced', 'golangci.foo', '[python]', 'terminal.integrated.env.linux']) {
    assert.ok(!isGoRelevantKey(k), k);
  }
});

test('user names that are ordinary words are not redacted everywhere', () => {
  const s = loadFixture('macos-arm64-native.json');
  assert.equal(redactOptionsFor({ ...s, env: { ...s.env, USER: 'go' } }).user, undefined);
  assert.equal(redactOptionsFor({ ...s, env: { ...s.env, USER: 'gopher' } }).user, 'gopher');
  assert.equal(redactOptionsFor({ ...s, env: {}, host: { ...s.host, home: '/home/ada' } }).user, 'ada');
  const red = redactSnapshot({ ...s, env: { ...s.env, GOPROXY: 'https://u:p@goproxy.example' } });
  assert.equal(red.env.GOPROXY, 'https://***@goproxy.example');
  assert.equal(red.env.HOME, '~');
});
