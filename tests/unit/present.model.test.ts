// present/model.ts: Report -> view model, on Reports the real engine produced.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as jsonc from 'jsonc-parser';
import type { Action } from '../../extension/src/engine/generated/Action';
import type { Range } from '../../extension/src/engine/generated/Range';
import type { Snapshot } from '../../extension/src/engine/generated/Snapshot';
import {
  applyEdits,
  buildViewModel,
  CATEGORIES,
  copyText,
  DOC_BASE,
  editPreview,
  findFindingAt,
  snapshotTextOf,
  planSafeFixes,
  mdText,
  rangesOverlap,
  remoteKind,
  remoteLabel,
  openDocumentFor,
  sameUri,
  statusView,
  terminalText,
  uriToPath,
} from '../../extension/src/present/model';
import {
  brokenSnapshot,
  FOLDER_SAFE_TEXT,
  FOLDER_SETTINGS,
  fixtureNames,
  loadFixture,
  report,
  safeSnapshot,
  USER_SETTINGS,
} from './present.fixtures';

describe('buildViewModel on every fixture snapshot', () => {
  for (const name of fixtureNames()) {
    test(name, () => {
      const r = report(loadFixture(name));
      const m = buildViewModel(r);
      assert.deepEqual(
        { errors: m.counts.errors, warnings: m.counts.warnings, infos: m.counts.infos, passed: m.counts.passed, skipped: m.counts.skipped },
        { errors: r.summary.errors, warnings: r.summary.warnings, infos: r.summary.infos, passed: r.summary.passed, skipped: r.summary.skipped },
      );
      // Categories in the engine's order; every check shown once (passed, skipped, or as a finding's category).
      const order = CATEGORIES.map((c) => c.id);
      const idx = m.categories.map((c) => order.indexOf(c.category));
      assert.deepEqual(idx, [...idx].sort((a, b) => a - b));
      const shown = m.categories.flatMap((c) => [...c.passed, ...c.skipped].map((v) => v.check.code));
      const failed = r.checks.filter((c) => c.status === 'failed').map((c) => c.code);
      // Checks for another platform are not shown at all.
      assert.deepEqual([...shown, ...failed].sort(), r.checks.filter((c) => c.status !== 'notApplicable').map((c) => c.code).sort());
      for (const c of m.categories) assert.ok(c.findings.length + c.passed.length + c.skipped.length > 0);
      // Ids are unique (the tree keeps expansion state by id).
      const ids = [...m.categories.map((c) => c.id), ...m.findings.map((f) => f.id), ...m.findings.flatMap((f) => f.fixes.map((x) => x.id))];
      assert.equal(new Set(ids).size, ids.length);
    });
  }
});

test('a healthy machine is quiet: "$(check) Go", every category passed', () => {
  // The native fixture's report with its findings resolved (rules are added over time, and any of
  // them may fire on the fixture; quietness is what this test is about).
  const r = report(loadFixture('macos-arm64-native.json'));
  const healthy = {
    ...r,
    findings: [],
    checks: r.checks.map((c) => (c.status === 'failed' ? { ...c, status: 'passed' as const } : c)),
  };
  const m = buildViewModel(healthy);
  assert.equal(m.findings.length, 0);
  assert.equal(m.status.level, 'ok');
  assert.equal(m.status.text, '$(check) Go');
  assert.match(m.status.tooltip, /no problems found \(\d+ checks passed/);
  assert.match(m.headline, /^No problems found · \d+ checks passed/);
  for (const c of m.categories) {
    assert.equal(c.worst, c.passed.length ? 'passed' : 'skipped');
    assert.ok(c.passed.every((p) => p.description === 'ok'));
    assert.ok(c.skipped.every((p) => p.description.startsWith('skipped: ')));
  }
  assert.equal(m.hasSafeFixes, false);
  // Infos alone keep it quiet too.
  assert.equal(statusView({ errors: 0, warnings: 0, infos: 2, passed: 3, skipped: 0 }).text, '$(check) Go');
});

test('Rosetta: a warning with a display-only fix that shows its URL', () => {
  const r = report(loadFixture('macos-rosetta-x64-vscode.json'));
  const m = buildViewModel(r);
  assert.equal(m.status.level, r.summary.errors ? 'error' : 'warning');
  if (!r.summary.errors) assert.equal(m.status.text, `$(warning) ${r.summary.warnings}`);
  const f = m.findings.find((x) => x.finding.code === 'GSD601');
  assert.ok(f);
  assert.equal(f.label, `GSD601 ${f.finding.title}`);
  assert.equal(f.fixable, false);
  assert.equal(f.fixes[0].mode, 'display');
  assert.equal(f.fixes[0].display, 'https://code.visualstudio.com/download');
  assert.equal(f.docUrl, `${DOC_BASE}docs/rules/GSD601-rosetta-translated.md`);
  const platform = m.categories.find((c) => c.category === 'platform');
  assert.equal(platform?.worst, 'warning');
  assert.match(platform?.description ?? '', /^1 warning(, \d+ passed)?$/);
});

describe('a broken workspace', () => {
  const r = report(brokenSnapshot());
  const m = buildViewModel(r);

  test('status counts warnings and errors only; infos stay quiet', () => {
    assert.equal(m.status.text, `$(warning) ${r.summary.warnings}`);
    assert.ok(r.summary.infos > 0);
    assert.ok(!m.status.text.includes('info'));
  });

  test('findings are sorted by severity, then code', () => {
    const ranks = m.findings.map((f) => ['error', 'warning', 'info'].indexOf(f.finding.severity));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
    const warnings = m.findings.filter((f) => f.finding.severity === 'warning').map((f) => f.finding.code);
    assert.deepEqual(warnings, [...warnings].sort());
  });

  test('unsafe fixes read "(review)", are applicable and not safe', () => {
    const f = m.findings.find((x) => x.finding.code === 'GSD307');
    assert.ok(f, 'workspace-overrides-user fires');
    const fix = f.fixes[0];
    assert.equal(fix.mode, 'review');
    assert.ok(fix.label.endsWith(' (review)'));
    assert.equal(f.fixable, true);
    assert.deepEqual(fix.actions, ['edit settings.json (1 change)']);
    // The location points at the key; the related location at the user value.
    assert.equal(f.location?.label, `settings.json:${f.finding.location!.range.start.line + 1}:${f.finding.location!.range.start.character + 1}`);
    assert.equal(f.location?.path, '/Users/gopher/src/hello/.vscode/settings.json');
    assert.equal(f.related.length, 1);
    assert.equal(f.related[0].location.uri, USER_SETTINGS);
  });

  test('a shell fix is typed in the terminal as is, copied with its cwd', () => {
    const f = m.findings.find((x) => x.finding.code === 'GSD401');
    assert.ok(f);
    const a = f.finding.fixes[0].actions[0];
    assert.equal(a.kind, 'runShell');
    assert.equal(terminalText(a), '/Users/gopher/sdk/gotip/bin/go mod init example.com/hello');
    assert.equal(copyText(a), 'cd /Users/gopher/src/hello && /Users/gopher/sdk/gotip/bin/go mod init example.com/hello');
  });

  test('skipped checks carry their reason', () => {
    const skipped = m.categories.flatMap((c) => c.skipped);
    assert.equal(skipped.length, r.summary.skipped);
    for (const s of skipped) assert.equal(s.description, `skipped: ${s.check.reason}`);
  });

  test('message lines are the message, split', () => {
    for (const f of m.findings) assert.equal(f.messageLines.join(' '), f.finding.message.split(/\r?\n/).filter((l) => l.trim()).join(' '));
  });

  test('ids are stable from one run to the next', () => {
    const again = buildViewModel(report(brokenSnapshot()));
    assert.deepEqual(again.findings.map((f) => f.id), m.findings.map((f) => f.id));
  });

  test('a category with findings has an id naming them: new findings reset its collapsed state', () => {
    const settings = m.categories.find((c) => c.category === 'settings')!;
    assert.ok(settings.findings.length > 0);
    const codes = [...new Set(settings.findings.map((f) => `${f.finding.code}.${f.finding.severity}`))].sort();
    assert.equal(settings.id, `category:settings:${codes.join(',')}`);
    // Same findings on the next run: same id (the user's expand/collapse is kept).
    assert.equal(buildViewModel(report(brokenSnapshot())).categories.find((c) => c.category === 'settings')!.id, settings.id);
    // One finding less (fixed): another id. And a category with only passing checks: a plain id.
    const fewer = { ...r, findings: r.findings.filter((f) => f !== settings.findings[0].finding) };
    assert.notEqual(buildViewModel(fewer).categories.find((c) => c.category === 'settings')!.id, settings.id);
    const passing = m.categories.filter((c) => !c.findings.length);
    assert.ok(passing.length > 0);
    for (const c of passing) assert.equal(c.id, `category:${c.category}`);
    const none = { ...r, findings: r.findings.filter((f) => f.category !== 'settings') };
    assert.equal(buildViewModel(none).categories.find((c) => c.category === 'settings')!.id, 'category:settings');
  });

  test('"Fix all safe issues" takes only the restated default (GSD320): every other fix needs review or is manual', () => {
    // The user settings restate go.useLanguageServer's default, and the user scope is the lowest:
    // removing it is safe. Nothing else here is.
    const plan = planSafeFixes(r);
    assert.deepEqual(plan.apply.map((p) => p.finding.code), ['GSD320']);
    assert.deepEqual([...plan.edits.keys()], [USER_SETTINGS]);
    assert.ok(plan.apply.every((p) => p.fix.applicability === 'safe'));
    assert.ok(plan.excluded >= 4);
    assert.equal(m.hasSafeFixes, true);
  });

  test('findFindingAt maps a diagnostic back, whatever the URI encoding', () => {
    const f = r.findings.find((x) => x.code === 'GSD301')!;
    const start = f.location!.range.start;
    assert.equal(findFindingAt(r, 'GSD301', FOLDER_SETTINGS, start), f);
    assert.equal(findFindingAt(r, 'GSD301', FOLDER_SETTINGS.replace('/hello/', '/%68ello/'), start), f);
    assert.equal(findFindingAt(r, 'GSD302', FOLDER_SETTINGS, start), undefined);
    assert.equal(findFindingAt(r, 'GSD301', FOLDER_SETTINGS, { line: start.line + 1, character: 0 }), undefined);
  });
});

describe('"Fix all safe issues" on safe fixes', () => {
  const s = safeSnapshot();
  const r = report(s);
  const plan = planSafeFixes(r);

  test('plans every safe edit fix, never an unsafe or display-only one', () => {
    const safeCodes = r.findings.filter((f) => f.fixes.some((x) => x.applicability === 'safe')).map((f) => f.code).sort();
    assert.deepEqual(safeCodes, ['GSD301', 'GSD302', 'GSD320']);
    assert.deepEqual([...plan.apply, ...plan.conflicting].map((p) => p.finding.code).sort(), safeCodes);
    assert.ok(plan.apply.every((p) => p.fix.applicability === 'safe'));
    assert.deepEqual([...plan.edits.keys()].sort(), [FOLDER_SETTINGS, USER_SETTINGS].sort());
    assert.equal(buildViewModel(r).hasSafeFixes, true);
  });

  test('the edits (UTF-16 line/character) fix the file, keep comments, and the engine agrees', () => {
    let snap: Snapshot = s;
    // Apply rounds until nothing safe is left, as the re-run after "Fix all" would.
    for (let round = 0; round < 3; round++) {
      const p = planSafeFixes(report(snap));
      if (!p.apply.length) break;
      snap = {
        ...snap,
        settings: snap.settings.map((l) => {
          const edits = p.edits.get(l.uri);
          return edits && l.text !== undefined ? { ...l, text: applyEdits(l.text, edits) } : l;
        }),
      };
    }
    const text = snap.settings.find((l) => l.uri === FOLDER_SETTINGS)!.text!;
    assert.ok(text.includes('// büild settings 🚀'), text);
    assert.ok(text.includes('"go.lintTool": "staticcheck"'), text);
    const errors: jsonc.ParseError[] = [];
    const value = jsonc.parse(text, errors, { allowTrailingComma: true });
    assert.deepEqual(errors, []);
    assert.equal(value['go.buildOnSave'], undefined);
    assert.equal(value['go.useCodeSnippetsOnFunctionSuggest'], undefined);
    const after = report(snap).findings.map((f) => f.code);
    assert.ok(!after.includes('GSD301') && !after.includes('GSD302'), after.join(','));
    assert.notEqual(text, FOLDER_SAFE_TEXT);
  });

  test('editPreview shows the touched line before and after', () => {
    const f = r.findings.find((x) => x.code === 'GSD301')!;
    const a = f.fixes[0].actions[0] as Extract<Action, { kind: 'editFile' }>;
    const [p] = editPreview(FOLDER_SAFE_TEXT, a.edits);
    assert.equal(p.line, 3);
    assert.match(p.before, /"go\.buildOnSave": "package"/);
    assert.doesNotMatch(p.after, /go\.buildOnSave/);
  });
});

const R = (sl: number, sc: number, el: number, ec: number): Range => ({
  start: { line: sl, character: sc },
  end: { line: el, character: ec },
  startOffset: 0,
  endOffset: 0,
});

test('rangesOverlap: touching ranges are fine, overlaps and same-point inserts are not', () => {
  assert.equal(rangesOverlap(R(1, 0, 2, 0), R(2, 0, 3, 0)), false);
  assert.equal(rangesOverlap(R(1, 0, 2, 1), R(2, 0, 3, 0)), true);
  assert.equal(rangesOverlap(R(1, 4, 1, 4), R(1, 4, 1, 4)), true);
  assert.equal(rangesOverlap(R(1, 4, 1, 4), R(1, 0, 1, 9)), true);
  assert.equal(rangesOverlap(R(1, 9, 1, 9), R(1, 0, 1, 9)), false);
});

test('applyEdits counts UTF-16 code units and handles CRLF', () => {
  const text = '{\r\n  "😀x": 1, "a": 2\r\n}\r\n';
  // "a" (quoted) starts at UTF-16 character 12 on line 1 (the emoji is two code units).
  const out = applyEdits(text, [{ range: R(1, 12, 1, 15), newText: '"b"' }]);
  assert.equal(out, '{\r\n  "😀x": 1, "b": 2\r\n}\r\n');
  // A character past the end of a line is clamped to the line end, before the line break.
  assert.equal(applyEdits('ab\ncd', [{ range: R(0, 9, 0, 9), newText: '!' }]), 'ab!\ncd');
});

test('statusView: errors win the background, counts shown with codicons', () => {
  const s = statusView({ errors: 2, warnings: 1, infos: 3, passed: 5, skipped: 0 });
  assert.equal(s.level, 'error');
  assert.equal(s.text, '$(error) 2 $(warning) 1');
  assert.match(s.tooltip, /2 errors, 1 warning, 3 infos/);
});

test('terminal text of a profile line quotes it and leaves ~ to the shell', () => {
  const a: Action = { kind: 'appendToProfile', file: '~/.zprofile', line: 'export PATH="$PATH:/usr/local/go/bin"' };
  assert.equal(terminalText(a), `printf '%s\\n' 'export PATH="$PATH:/usr/local/go/bin"' >> ~/.zprofile`);
  assert.equal(copyText(a), 'export PATH="$PATH:/usr/local/go/bin"');
  const b: Action = { kind: 'appendToProfile', file: "~/my profile's", line: "it's" };
  assert.equal(terminalText(b), `printf '%s\\n' 'it'\\''s' >> ~/'my profile'\\''s'`);
});

test('mdText: the engine\'s `code spans` render as code, everything else is escaped', () => {
  assert.equal(mdText('gopls does not accept `--memory-limit=4G`'), 'gopls does not accept `--memory-limit=4G`');
  assert.equal(mdText('a *b* `c*d` [e](f)'), 'a \\*b\\* `c*d` \\[e\\]\\(f\\)');
  assert.equal(mdText('one ` tick *x*'), 'one \\` tick \\*x\\*');
});

test('remoteKind: known kinds as they are, anything else (code-server host:port) is "other"', () => {
  assert.equal(remoteKind(undefined), undefined);
  assert.equal(remoteKind(''), undefined);
  for (const k of ['ssh-remote', 'wsl', 'dev-container', 'attached-container', 'codespaces', 'tunnel', 'k8s-container']) {
    assert.equal(remoteKind(k), k);
    assert.equal(remoteLabel(k), `remote ${k}`);
  }
  assert.equal(remoteKind('ssh-remote+my-host'), 'ssh-remote');
  assert.equal(remoteKind('127.0.0.1:45959'), 'other');
  assert.equal(remoteLabel('127.0.0.1:45959'), 'remote (other)');
  assert.equal(remoteLabel(undefined), undefined);
});

test('URIs: paths for display, comparison across encodings', () => {
  assert.equal(uriToPath('file:///Users/a/My%20Dir/settings.json'), '/Users/a/My Dir/settings.json');
  assert.equal(uriToPath('file:///c%3A/Users/a/settings.json'), 'c:/Users/a/settings.json');
  assert.ok(sameUri('file:///c%3A/x/settings.json', 'file:///C:/x/settings.json'));
  assert.ok(!sameUri('file:///a/settings.json', 'file:///b/settings.json'));
  // VS Code's editor for the user settings.json is vscode-userdata:<same path>.
  assert.ok(sameUri('vscode-userdata:/home/u/.config/Code/User/settings.json', 'file:///home/u/.config/Code/User/settings.json'));
  assert.ok(sameUri('vscode-userdata:/c%3A/Users/u/AppData/Roaming/Code/User/settings.json', 'file:///c:/Users/u/AppData/Roaming/Code/User/settings.json'));
  assert.ok(!sameUri('vscode-userdata:/home/u/other.json', 'file:///home/u/.config/Code/User/settings.json'));
  // While VS Code shows the user settings under vscode-userdata, findings go to that document.
  const user = 'file:///home/u/.config/Code/User/settings.json';
  const shown = 'vscode-userdata:/home/u/.config/Code/User/settings.json';
  assert.equal(openDocumentFor(user, ['file:///w/main.go', shown]), shown);
  assert.equal(openDocumentFor(user, [user]), undefined, 'open under its own URI: nothing to move');
  assert.equal(openDocumentFor(user, ['file:///w/main.go']), undefined, 'not open');
});

test('snapshotTextOf: settings layers and folder launch.json files; others are unknown', () => {
  const snap = {
    schema: 1, origin: 't', host: { os: 'linux', arch: 'x64' }, env: {}, goCandidates: [], tools: [], skippedProbes: [],
    settings: [{ scope: 'workspaceFolder', uri: 'file:///w/a/.vscode/settings.json', text: '{"s": 1}' }, { scope: 'user', uri: 'file:///u.json' }],
    workspace: { folders: [
      { uri: 'file:///w/a', path: '/w/a', goFiles: [], nestedModules: [], filesVisited: 0, walkCapped: false, launchJson: { path: '/w/a/.vscode/launch.json', text: '{"configurations": []}' } },
      { uri: 'file:///w/b/', path: '/w/b', goFiles: [], nestedModules: [], filesVisited: 0, walkCapped: false },
    ] },
  } as Snapshot;
  assert.equal(snapshotTextOf(snap, 'file:///w/a/.vscode/settings.json'), '{"s": 1}');
  assert.equal(snapshotTextOf(snap, 'file:///u.json'), '');
  assert.equal(snapshotTextOf(snap, 'file:///w/a/.vscode/launch.json'), '{"configurations": []}');
  assert.equal(snapshotTextOf(snap, 'file:///w/b/.vscode/launch.json'), undefined);
  assert.equal(snapshotTextOf(snap, 'file:///w/a/go.mod'), undefined);
  assert.equal(snapshotTextOf(undefined, 'file:///w/a/.vscode/launch.json'), undefined);
});
