// Report + Snapshot -> a Markdown bug report ("Copy Go setup report"). Pure: no 'vscode' import.
// Everything that leaves the machine goes through gather/redact.ts (credentials in URLs, the home
// directory, the user name), settings that have nothing to do with Go keep their keys but not
// their values (settings files hold tokens and passwords of other extensions), and the remote is
// named by its kind only (`vscode.env.remoteName` is `host:port` under code-server).
import * as jsonc from 'jsonc-parser';
import type { Action } from '../engine/generated/Action';
import type { CommandRun } from '../engine/generated/CommandRun';
import type { Finding } from '../engine/generated/Finding';
import type { Report } from '../engine/generated/Report';
import type { RuleInfo } from '../engine/generated/RuleInfo';
import type { SettingsLayer } from '../engine/generated/SettingsLayer';
import type { Snapshot } from '../engine/generated/Snapshot';
import { redactOptionsFromEnv, redactText, redactValue, type RedactOptions } from '../gather/redact';
import {
  buildViewModel,
  categoryTitle,
  copyText,
  describeAction,
  docPathFor,
  docUrl,
  fixMode,
  plural,
  positionLabel,
  remoteKind,
  remoteLabel,
  uriToPath,
} from './model';

export interface MarkdownInput {
  report?: Report;
  snapshot?: Snapshot;
  /** The last run failed with this message. */
  failure?: string;
  extensionVersion?: string;
  engineVersion?: string;
  rules?: RuleInfo[];
  /** Leave out the redacted snapshot JSON (default: included, collapsed). */
  omitSnapshot?: boolean;
}

/** Placeholder for the value of a setting unrelated to Go. */
export const OMITTED = '"<omitted: not a Go setting>"';
/** Placeholder for a settings text too deeply nested to parse. */
export const OMITTED_UNREADABLE = '"<omitted: nested too deeply to read>"';

/**
 * Top-level keys outside go.* / gopls that the rules read: the formatter of Go files
 * (GSD313 reads editor.defaultFormatter; format on save is what it is about).
 */
export const GO_RELATED_EDITOR_KEYS: ReadonlySet<string> = new Set([
  'editor.defaultFormatter',
  'editor.formatOnSave',
  'editor.formatOnSaveMode',
]);

/** Settings keys whose values a Go setup report keeps; every other value is omitted. */
export function isGoRelevantKey(key: string): boolean {
  if (key === 'go' || key.startsWith('go.') || key === 'gopls' || key.startsWith('gopls.')) return true;
  // Language blocks: [go], [go.mod], [go.work], [go.sum], [gotmpl], combined [go][go.mod].
  if (key.startsWith('[')) return /\[go[\w.]*\]/.test(key);
  return GO_RELATED_EDITOR_KEYS.has(key);
}

/**
 * Replace the values of non-Go settings with a placeholder, keeping keys, comments and layout
 * (a `settings.json` may hold tokens of other extensions). In a `*.code-workspace` file the same
 * applies inside `settings`; `folders` and `launch` are kept (the `launch` block is what a folder's
 * `.vscode/launch.json` is in a workspace file: the report keeps both, and the whole snapshot then
 * goes through the same redaction: secrets, credentials in URLs, home, user name); other top-level
 * values (`extensions`, `tasks`...) are omitted. A `settings.json` keeps its `launch` block too (the
 * user's global debug configurations).
 */
export function omitUnrelatedSettings(text: string, workspaceFile: boolean): string {
  let root: jsonc.Node | undefined;
  try {
    root = jsonc.parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  } catch {
    // jsonc-parser recurses: thousands of nesting levels overflow the stack. Nothing in such a
    // file can be told apart, so none of it is shown.
    return OMITTED_UNREADABLE;
  }
  if (!root || root.type !== 'object') return text;
  const edits: Array<{ offset: number; length: number }> = [];
  const visitObject = (obj: jsonc.Node, keep: (key: string) => boolean, inner?: (key: string, value: jsonc.Node) => boolean) => {
    for (const prop of obj.children ?? []) {
      const [k, v] = prop.children ?? [];
      if (!k || !v || typeof k.value !== 'string') continue;
      if (inner && inner(k.value, v)) continue;
      if (!keep(k.value)) edits.push({ offset: v.offset, length: v.length });
    }
  };
  if (workspaceFile) {
    visitObject(
      root,
      (k) => k === 'folders' || k === 'settings' || k === 'launch',
      (k, v) => {
        if (k !== 'settings' || v.type !== 'object') return false;
        visitObject(v, isGoRelevantKey);
        return true;
      },
    );
  } else {
    // A settings.json `launch` block holds global debug configurations, which GSD317 checks.
    visitObject(root, (k) => k === 'launch' || isGoRelevantKey(k));
  }
  // One pass: splicing edit by edit copies the whole text each time (minutes for a 10 MB file).
  const parts: string[] = [];
  let at = 0;
  for (const e of edits.sort((a, b) => a.offset - b.offset)) {
    parts.push(text.slice(at, e.offset), OMITTED);
    at = e.offset + e.length;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

const COMMON_WORDS = new Set(['root', 'home', 'users', 'user', 'admin', 'dev', 'code', 'vscode', 'node', 'gopls', 'golang', 'test', 'work', 'src', 'bin', 'build', 'runner', 'app', 'ubuntu', 'debian', 'vagrant', 'docker', 'coder']);

/** How to redact this snapshot: its home directory and user name. */
export function redactOptionsFor(snapshot?: Snapshot): RedactOptions {
  const env = snapshot?.env ?? {};
  const opts = redactOptionsFromEnv(env);
  const home = snapshot?.host.home ?? opts.home;
  if (home) opts.home = home;
  if (!opts.user && home) opts.user = home.replace(/[\\/]+$/, '').split(/[\\/]/).pop();
  // A user name that is also a word of the report ("go", "root", "dev") would be replaced
  // everywhere; the home directory is redacted anyway, so keep only distinctive names.
  if (opts.user !== undefined && (opts.user.length < 3 || COMMON_WORDS.has(opts.user.toLowerCase()))) delete opts.user;
  return opts;
}

/** What GSD804 reads in a gopls output log; the rest of such a log can describe private code. */
const CRASH_LINE = /Server process exited with|Connection to server got closed|crashed 5 times in the last 3 minutes|fatal error: |runtime: out of memory|panic: |^goroutine \d+ \[|err: signal: killed/;

/** Only the crash lines of a gopls output log (vscode-go: the logs "may contain sensitive information about your codebase"). */
export function crashLinesOnly(text: string): string {
  return text
    .split('\n')
    .filter((l) => CRASH_LINE.test(l))
    .map((l) => l + '\n')
    .join('');
}

/** The snapshot as it may leave the machine. */
export function redactSnapshot(snapshot: Snapshot, opts = redactOptionsFor(snapshot)): Snapshot {
  const settings: SettingsLayer[] = snapshot.settings.map((l) =>
    l.text === undefined ? l : { ...l, text: omitUnrelatedSettings(l.text, l.scope === 'workspaceFile') },
  );
  const out: Snapshot = { ...snapshot, settings };
  if (snapshot.languageServerLogs) out.languageServerLogs = snapshot.languageServerLogs.map((l) => ({ ...l, text: crashLinesOnly(l.text) }));
  // The kind of remote, never its host name or port ("other" replays as a remote of unknown kind).
  if (snapshot.vscode?.remoteName) out.vscode = { ...snapshot.vscode, remoteName: remoteKind(snapshot.vscode.remoteName) };
  return redactValue(out, opts);
}

const SEVERITY_MARK: Record<Finding['severity'], string> = { error: '🔴 error', warning: '🟡 warning', info: '🔵 info' };

/** Inline code that survives backticks in the text. */
function code(s: string): string {
  const ticks = s.includes('`') ? '``' : '`';
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${s}${pad}${ticks}`;
}

/** A fenced block whose fence is longer than any backtick run inside. */
function fence(body: string, lang = 'text'): string {
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${body.replace(/\n+$/, '')}\n${f}`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function firstLine(s: string): string {
  return s.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? '';
}

/** The version a tool printed: `gopls version -json` as module path + version, else its first lines. */
function versionText(stdout: string): string {
  const t = stdout.trim();
  if (t.startsWith('{')) {
    try {
      const v = JSON.parse(t) as { Main?: { Path?: string; Version?: string }; Path?: string; GoVersion?: string };
      const mod = v.Main?.Path || v.Path;
      if (mod || v.GoVersion) {
        const version = v.Main?.Version || '(no module version)';
        return `${mod ?? ''} ${version}${v.GoVersion ? `, built with ${v.GoVersion}` : ''}`.trim();
      }
    } catch {
      /* not JSON after all */
    }
  }
  const lines = t.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const first = lines.slice(0, 2).join(' · ');
  return first.length > 160 ? `${first.slice(0, 160)}…` : first;
}

function runLine(run: CommandRun | undefined): string | undefined {
  if (!run) return undefined;
  if (run.spawnError) return `failed to start: ${run.spawnError}`;
  if (run.timedOut) return `timed out after ${run.timeoutMs} ms`;
  const out = versionText(run.stdout) || firstLine(run.stderr);
  return run.exitCode === 0 ? out : `exit ${run.exitCode ?? run.signal ?? '?'}: ${out || firstLine(run.stderr)}`;
}

function environmentSection(s: Snapshot): string[] {
  const rows: Array<[string, string]> = [];
  const host = s.host;
  const translated = host.procTranslated ? firstLine(host.procTranslated.stdout) : undefined;
  rows.push([
    'OS',
    `${host.os} ${host.arch}${host.machine ? ` (machine ${host.machine})` : ''}${translated === '1' ? ', translated by Rosetta' : ''}`,
  ]);
  if (s.vscode) {
    const v = s.vscode;
    const remote = remoteLabel(v.remoteName);
    rows.push(['VS Code', `${v.version}${remote ? `, ${remote}` : ''}, workspace ${v.trusted ? 'trusted' : 'not trusted (Restricted Mode)'}`]);
    rows.push([
      'Go extensions',
      v.extensions.length ? v.extensions.map((e) => `${e.id} ${e.version}${e.active ? '' : ' (inactive)'}`).join(', ') : 'none',
    ]);
  }
  if (host.shell) rows.push(['Shell', host.shell]);
  if (s.go) {
    const c = s.goCandidates[s.go.candidate];
    rows.push(['go in use', `${c ? `${c.path} (${c.source})` : `candidate ${s.go.candidate}`}${runLine(s.go.version) ? `: ${runLine(s.go.version)}` : ''}`]);
  } else {
    rows.push(['go in use', 'none found']);
  }
  if (s.goCandidates.length > 1) {
    rows.push(['other go binaries', s.goCandidates.filter((_, i) => i !== s.go?.candidate).map((c) => `${c.path} (${c.source})`).join(', ')]);
  }
  for (const t of s.tools) {
    rows.push([t.name, t.path ? `${t.path}${t.foundVia ? ` (${t.foundVia})` : ''}${runLine(t.version) ? `: ${runLine(t.version)}` : ''}` : 'not found']);
  }
  const ws = s.workspace;
  rows.push([
    'Workspace',
    `${plural(ws.folders.length, 'folder')}${ws.workspaceFile ? `, workspace file ${ws.workspaceFile}` : ''}${
      ws.folders.some((f) => f.goWork) ? ', go.work' : ''
    }${ws.folders.some((f) => f.goMod) ? ', go.mod' : ''}`,
  ]);
  const layers = s.settings.map((l) => `${l.scope}${l.text === undefined ? (l.readError ? ' (unreadable)' : ' (absent)') : ''}`);
  if (layers.length) rows.push(['Settings layers', layers.join(', ')]);
  return ['## Environment', '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`)];
}

function actionLine(a: Action): string {
  switch (a.kind) {
    case 'editFile':
      return describeAction(a);
    case 'runShell':
      return `${a.cwd ? `run in ${code(a.cwd)}` : 'run'}: ${code(a.command)}`;
    case 'appendToProfile':
      return `add to ${code(a.file)}: ${code(a.line)}`;
    case 'runVsCodeCommand':
      return `VS Code command: ${code(copyText(a))}`;
    case 'openUrl':
      return `open <${a.url}>`;
  }
}

function findingSection(f: Finding, standalone = false): string[] {
  const doc = docUrl(f.doc || docPathFor(f.code, f.name));
  if (standalone) {
    // Plain ASCII: in Restricted Mode the editor boxes every non-ASCII character (emoji, "·").
    const severity = f.severity.charAt(0).toUpperCase() + f.severity.slice(1);
    return [`# ${f.code} ${f.title}`, '', `${severity}, ${categoryTitle(f.category)}, rule ${code(f.name)} ([documentation](${doc}))`, '', ...findingBody(f)];
  }
  const mark = SEVERITY_MARK[f.severity] ?? f.severity;
  return [
    `### ${mark}: ${f.code} ${f.title}`,
    '',
    `${categoryTitle(f.category)} · ${code(f.name)} · [rule documentation](${doc})`,
    '',
    ...findingBody(f),
  ];
}

/** Message, evidence, location, related places and fixes of a finding. */
function findingBody(f: Finding): string[] {
  const out: string[] = [];
  out.push(f.message, '');
  if (f.evidence.length) out.push('Evidence:', '', fence(f.evidence.join('\n')), '');
  if (f.location) out.push(`Location: ${code(`${uriToPath(f.location.uri)}:${positionLabel(f.location.range)}`)}`, '');
  for (const r of f.related) out.push(`Related: ${r.message} (${code(`${uriToPath(r.location.uri)}:${positionLabel(r.location.range)}`)})`, '');
  if (f.fixes.length) {
    out.push('Fixes:', '');
    for (const fix of f.fixes) {
      const mode = fixMode(fix.applicability);
      const label = mode === 'safe' ? 'safe' : mode === 'review' ? 'needs review' : 'manual';
      out.push(`- **${label}**: ${fix.title}`);
      for (const a of fix.actions) {
        out.push(`  - ${actionLine(a)}`);
      }
    }
    out.push('');
  }
  return out;
}

/**
 * One finding as a document of its own (the view's "Details…"): title, severity, message,
 * evidence, location and fixes. Local display only: not redacted.
 */
export function findingMarkdown(f: Finding): string {
  return `${findingSection(f, true).join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** The Markdown report, redacted. */
export function buildMarkdownReport(input: MarkdownInput): string {
  const { report, snapshot } = input;
  const opts = redactOptionsFor(snapshot);
  const lines: string[] = ['# Go setup report', ''];
  const versions = [
    input.extensionVersion ? `Go Setup Doctor ${input.extensionVersion}` : 'Go Setup Doctor',
    report?.engineVersion || input.engineVersion ? `engine ${report?.engineVersion || input.engineVersion}` : undefined,
    snapshot ? `snapshot schema ${snapshot.schema}` : undefined,
  ].filter(Boolean);
  lines.push(`_${versions.join(', ')}. Home directory, user name and credentials in URLs are redacted; settings unrelated to Go are omitted._`, '');

  if (input.failure) lines.push(`> **The diagnosis failed:** ${input.failure}`, '');

  if (report) {
    const model = buildViewModel(report);
    lines.push(`**Summary:** ${model.headline}`, '');
  }
  if (snapshot) lines.push(...environmentSection(snapshot), '');

  if (report) {
    lines.push('## Findings', '');
    if (!report.findings.length) lines.push('No problems found.', '');
    const model = buildViewModel(report);
    for (const f of model.findings) lines.push(...findingSection(f.finding));

    lines.push('## Checks', '', '| Code | Check | Result |', '|---|---|---|');
    for (const c of report.checks) {
      if (c.status === 'notApplicable') continue;
      const result = c.status === 'passed' ? '✅ passed' : c.status === 'failed' ? '❌ found a problem' : `⏭️ skipped: ${c.reason ?? ''}`;
      lines.push(`| ${c.code} | ${cell(c.summary || c.name)} | ${cell(result)} |`);
    }
    lines.push('');
  }

  if (snapshot?.skippedProbes.length) {
    lines.push('## Probes not run', '');
    for (const p of snapshot.skippedProbes) lines.push(`- ${code(p.probe)}: ${p.reason}`);
    lines.push('');
  }

  if (snapshot && !input.omitSnapshot) {
    lines.push(
      '<details><summary>Snapshot (redacted JSON; replay with <code>go-setup-doctor check snapshot.json</code>)</summary>',
      '',
      fence(JSON.stringify(redactSnapshot(snapshot, opts), null, 2), 'json'),
      '',
      '</details>',
      '',
    );
  }
  // Redact the whole text once more: messages and evidence carry paths and URLs too.
  let text = redactText(lines.join('\n'), opts).replace(/\n{3,}/g, '\n\n');
  // A remote of unknown kind: its name (host:port) must not appear anywhere (e.g. in evidence).
  const raw = snapshot?.vscode?.remoteName;
  if (raw && remoteKind(raw) === 'other' && raw.length >= 3) text = text.split(raw).join('remote (other)');
  return text;
}
