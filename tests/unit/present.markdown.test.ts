// present/markdown.ts: the "Copy Go setup report" Markdown, redacted, on real engine Reports.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Snapshot } from '../../extension/src/engine/generated/Snapshot';
import {
  buildMarkdownReport,
  crashLinesOnly,
  findingMarkdown,
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
    for (const c of r.checks) {
      // A check for another platform (WSL on this macOS snapshot) is left out: it claims nothing.
      const row = new RegExp(`^\\| ${c.code} \\| `, 'm');
      if (c.status === 'notApplicable') assert.doesNotMatch(md, row);
      else assert.match(md, row);
    }
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
  assert.ok(out.includes('// editor'));
  assert.ok(out.includes(`"editor.fontSize": ${OMITTED},`));
  assert.ok(out.includes('"go.useLanguageServer": true'));
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
  // A workspace file's launch block is kept, as a folder's launch.json is (redacted later, with the rest).
  assert.ok(omitUnrelatedSettings('{ "launch": { "configurations": [{ "env": { "T": "x" } }] } }', true).includes('"env": { "T": "x" }'));
  // So is the user settings' launch block (global debug configurations, checked by GSD317).
  const userLaunch = omitUnrelatedSettings('{ "launch": { "configurations": [{ "type": "go", "dlvLoadConfig": {} }] }, "sqltools.connections": [] }', false);
  assert.ok(userLaunch.includes('"dlvLoadConfig": {}'), userLaunch);
  assert.ok(userLaunch.includes(`"sqltools.connections": ${OMITTED}`), userLaunch);
  // Broken JSONC is not made worse.
  assert.equal(omitUnrelatedSettings('{ "go.goroot": ', false).startsWith('{ "go.goroot": '), true);

  const kept = ['go.goroot', 'gopls', '[go]', '[go.mod]', '[go][go.mod]', 'editor.defaultFormatter', 'editor.formatOnSave', 'editor.formatOnSaveMode'];
  for (const k of kept) assert.ok(isGoRelevantKey(k), k);
  const omitted = [
    'sqltools.connections',
    'github.copilot.advanced',
    'golangci.foo',
    '[python]',
    'terminal.integrated.env.linux',
    'editor.minimap.enabled',
    'editor.fontSize',
    'editor.tabSize',
    'files.autoSave',
    'files.watcherExclude',
    'launch',
    'workbench.trust.enabled',
    'goSetupDoctor.autoRun',
  ];
  for (const k of omitted) assert.ok(!isGoRelevantKey(k), k);
});

test('the report keeps only the settings the rules read (as the e2e user settings show)', () => {
  const text = `{
  "workbench.startupEditor": "none",
  "editor.minimap.enabled": false,
  "files.autoSave": "off",
  "editor.formatOnSave": true,
  "editor.defaultFormatter": "esbenp.prettier-vscode",
  "[go]": { "editor.defaultFormatter": "golang.go", "editor.tabSize": 8 },
  "go.toolsManagement.autoUpdate": true
}`;
  const out = omitUnrelatedSettings(text, false);
  for (const k of ['workbench.startupEditor', 'editor.minimap.enabled', 'files.autoSave']) assert.ok(out.includes(`"${k}": ${OMITTED}`), k);
  assert.ok(out.includes('"editor.formatOnSave": true'));
  assert.ok(out.includes('"editor.defaultFormatter": "esbenp.prettier-vscode"'));
  assert.ok(out.includes('"[go]": { "editor.defaultFormatter": "golang.go", "editor.tabSize": 8 }'), 'a [go] block is kept whole');
  assert.ok(out.includes('"go.toolsManagement.autoUpdate": true'));
  // And in a whole report: the values are gone from the snapshot block too.
  const s = brokenSnapshot();
  s.settings[0].text = text;
  const md = buildMarkdownReport({ report: report(s), snapshot: s });
  assert.ok(!md.includes('"editor.minimap.enabled": false'));
  assert.ok(!md.includes('\\"files.autoSave\\": \\"off\\"'));
  const user = snapshotJson(md).settings.find((l) => l.scope === 'user')!;
  assert.ok(user.text!.includes(`"files.autoSave": ${OMITTED}`));
  assert.ok(user.text!.includes('"editor.formatOnSave": true'));
});

test('a workspace file\'s launch block is in the report like a folder\'s launch.json, with the same redaction', () => {
  const configs = (name: string) => `"configurations": [
      // attach to the box
      {
        "name": "${name}",
        "type": "go",
        "request": "attach",
        "mode": "remote",
        "remotePath": "/srv/app",
        "program": "/Users/gopher/src/hello/cmd/app",
        "env": { "GITHUB_TOKEN": "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "GOPROXY": "https://gopher:s3cr3t-tok3n@proxy.corp.example/go" }
      }
    ]`;
  const s = brokenSnapshot();
  const wsUri = 'file:///Users/gopher/src/hello.code-workspace';
  s.settings.push({
    scope: 'workspaceFile',
    uri: wsUri,
    text: `{\n  "folders": [{ "path": "hello" }],\n  "settings": { "go.goroot": "/usr/local/go", "remote.SSH.password": "x" },\n  "launch": {\n    "version": "0.2.0",\n    ${configs('Attach (workspace)')}\n  },\n  "extensions": { "recommendations": ["golang.go"] }\n}\n`,
  });
  s.workspace.folders[0].launchJson = {
    path: '/Users/gopher/src/hello/.vscode/launch.json',
    text: `{\n  "version": "0.2.0",\n  ${configs('Attach (folder)')}\n}\n`,
  };
  const md = buildMarkdownReport({ report: report(s), snapshot: s });
  const out = snapshotJson(md);
  const ws = out.settings.find((l) => l.scope === 'workspaceFile')!.text!;
  const folder = out.workspace.folders[0].launchJson!.text;
  for (const text of [ws, folder]) {
    assert.ok(text.includes('// attach to the box'), text);
    assert.ok(text.includes('"remotePath": "/srv/app"'), text);
    assert.ok(text.includes('"program": "~/src/hello/cmd/app"'), text);
    assert.ok(text.includes('"GITHUB_TOKEN": "***"'), text);
    assert.ok(text.includes('https://***@proxy.corp.example/go'), text);
  }
  assert.ok(ws.includes('"name": "Attach (workspace)"'), ws);
  // The rest of the workspace file as before: unrelated settings and blocks omitted.
  assert.ok(ws.includes(`"extensions": ${OMITTED}`) && !ws.includes('"remote.SSH.password": "x"'), ws);
  for (const secret of ['ghp_abcdefghij', 's3cr3t-tok3n', '/Users/gopher']) assert.ok(!md.includes(secret), secret);
});

describe('the remote is named by its kind, never by host or port', () => {
  const base = brokenSnapshot();
  const withRemote = (remoteName?: string): Snapshot => ({
    ...base,
    vscode: { version: '1.100.3', trusted: true, remoteName, extensions: [] },
  });

  test('code-server: remoteName is host:port -> "remote (other)"', () => {
    const s = withRemote('127.0.0.1:45959');
    // Also where a rule's evidence would quote it.
    const r = report(s);
    r.findings[0] = { ...r.findings[0], evidence: [...r.findings[0].evidence, 'vscode.env.remoteName: 127.0.0.1:45959'] };
    const md = buildMarkdownReport({ report: r, snapshot: s });
    assert.ok(!md.includes('127.0.0.1'), 'no host');
    assert.ok(!md.includes('45959'), 'no port');
    assert.match(md, /^\| VS Code \| 1\.100\.3, remote \(other\), workspace trusted \|$/m);
    assert.equal(snapshotJson(md).vscode?.remoteName, 'other');
  });

  test('known kinds are shown as they are', () => {
    for (const kind of ['ssh-remote', 'wsl', 'dev-container', 'attached-container', 'codespaces', 'tunnel', 'k8s-container']) {
      const md = buildMarkdownReport({ report: report(withRemote(kind)), snapshot: withRemote(kind) });
      assert.match(md, new RegExp(`^\\| VS Code \\| 1\\.100\\.3, remote ${kind}, workspace trusted \\|$`, 'm'), kind);
      assert.equal(snapshotJson(md).vscode?.remoteName, kind);
    }
    // An authority with its host (never what remoteName holds, but never printed either).
    const md = buildMarkdownReport({ snapshot: withRemote('ssh-remote+build-box.corp') });
    assert.ok(!md.includes('build-box'));
    assert.match(md, /remote ssh-remote,/);
  });

  test('local: no remote at all', () => {
    const md = buildMarkdownReport({ snapshot: withRemote(undefined) });
    assert.match(md, /^\| VS Code \| 1\.100\.3, workspace trusted \|$/m);
  });
});

test('findingMarkdown: one finding as a readable document', () => {
  const r = report(brokenSnapshot());
  const f = r.findings.find((x) => x.evidence.length && x.fixes.length && x.location)!;
  assert.ok(f, 'a finding with evidence, a location and fixes');
  const md = findingMarkdown(f);
  assert.ok(md.startsWith(`# ${f.code} ${f.title}\n\n`), md.slice(0, 200));
  assert.match(md, new RegExp(`^(Error|Warning|Info), [^\\n]+, rule \`${f.name}\` \\(\\[documentation\\]\\(https:`, 'm'));
  // Plain ASCII around the engine's text: Restricted Mode boxes every other character.
  assert.ok(/^[\x20-\x7e]*$/.test(md.split('\n')[2]), md.split('\n')[2]);
  assert.ok(md.includes(`\n${f.message}\n`), 'the whole message, unwrapped');
  for (const e of f.evidence) assert.ok(md.includes(e), e);
  assert.match(md, /^Location: `/m);
  for (const x of f.fixes) assert.ok(md.includes(x.title), x.title);
  assert.ok(!/\n{3,}/.test(md));
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

test('a redacted snapshot keeps only the crash lines of gopls output logs, and GSD804 replays the same from it', () => {
  const s = loadFixture('vscode-gopls-crash-loop.json');
  const private_ = '[Info  - 4:38:30 PM] 2020/10/28 16:38:30 go/packages.Load #1\n\tquery=[github.com/acme/secret-payroll/...]\n';
  const logs = (s.languageServerLogs ?? []).map((l) => ({ ...l, text: private_ + l.text }));
  const panic = 'panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1123 [running]:\ngolang.org/x/tools/gopls/internal/cache.(*snapshot).load(0xc000, {0x1})\n';
  assert.equal(crashLinesOnly(panic), 'panic: runtime error: index out of range [3] with length 3\ngoroutine 1123 [running]:\n');
  const withPrivate = { ...s, languageServerLogs: logs };
  const red = redactSnapshot(withPrivate);
  const text = red.languageServerLogs?.[0].text ?? '';
  assert.doesNotMatch(text, /secret-payroll|packages\.Load/);
  assert.match(text, /Server will not be restarted\./);
  const before = report(withPrivate).findings.filter((f) => f.code === 'GSD804');
  const after = report(red).findings.filter((f) => f.code === 'GSD804');
  assert.equal(before.length, 1);
  assert.deepEqual(after.map((f) => [f.title, f.message]), before.map((f) => [f.title, f.message]));
});
