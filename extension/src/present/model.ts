// Report -> view model. Pure: no 'vscode' import, so it is unit-tested under plain Node. The tree,
// the status bar, the Problems panel, the code actions and the Markdown report all read from here.
import type { Action } from '../engine/generated/Action';
import type { Applicability } from '../engine/generated/Applicability';
import type { Category } from '../engine/generated/Category';
import type { Check } from '../engine/generated/Check';
import type { Finding } from '../engine/generated/Finding';
import type { Fix } from '../engine/generated/Fix';
import type { Location } from '../engine/generated/Location';
import type { Range } from '../engine/generated/Range';
import type { Report } from '../engine/generated/Report';
import type { Severity } from '../engine/generated/Severity';
import type { Snapshot } from '../engine/generated/Snapshot';
import type { TextEdit } from '../engine/generated/TextEdit';

/** Rule docs live in the repository; `finding.doc` is relative to its root. */
export const DOC_BASE = 'https://github.com/go-setup-doctor/go-setup-doctor/blob/main/';

/** Category order and titles (the engine's `Category::title`). */
export const CATEGORIES: ReadonlyArray<{ id: Category; title: string }> = [
  { id: 'toolchain', title: 'Go toolchain' },
  { id: 'tools', title: 'Tools' },
  { id: 'settings', title: 'VS Code settings' },
  { id: 'workspace', title: 'Workspace and modules' },
  { id: 'environment', title: 'Environment' },
  { id: 'platform', title: 'Platform and remote' },
  { id: 'extensions', title: 'Extensions' },
  { id: 'languageServer', title: 'Language server' },
  { id: 'probes', title: 'Probes' },
];

export function categoryTitle(c: Category): string {
  return CATEGORIES.find((x) => x.id === c)?.title ?? String(c);
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function severityRank(s: Severity): number {
  return SEVERITY_RANK[s] ?? 3;
}

export function docUrl(doc: string): string {
  return DOC_BASE + doc.replace(/^\/+/, '');
}

/** Doc path of a rule when only its code and name are known (checks carry no doc field). */
export function docPathFor(code: string, name: string): string {
  return `docs/rules/${code}-${name}.md`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------------------------
// Fixes and actions

/** What applying a fix means in the UI. */
export type FixMode =
  /** Safe: applied directly, included in "Fix all safe issues". */
  | 'safe'
  /** Unsafe: applied after a confirmation that shows what changes; title ends " (review)". */
  | 'review'
  /** DisplayOnly: shown with its command/line and a copy action, never applied. */
  | 'display';

export function fixMode(a: Applicability): FixMode {
  return a === 'safe' ? 'safe' : a === 'unsafe' ? 'review' : 'display';
}

/** Title as shown in menus: unsafe fixes end with " (review)". */
export function fixLabel(fix: Fix): string {
  return fix.applicability === 'unsafe' ? `${fix.title} (review)` : fix.title;
}

/** Single-quote a word for POSIX shells, unless it needs no quoting. */
export function shQuote(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A profile path for a shell command line: `~/` stays unquoted so the shell expands it. */
function shPath(p: string): string {
  if (p.startsWith('~/')) return `~/${shQuote(p.slice(2))}`;
  return shQuote(p);
}

/** The command line a terminal action types (never executes): runShell and appendToProfile. */
export function terminalText(a: Action): string | undefined {
  switch (a.kind) {
    case 'runShell':
      return a.command;
    case 'appendToProfile':
      return `printf '%s\\n' ${shQuote(a.line)} >> ${shPath(a.file)}`;
    default:
      return undefined;
  }
}

/** The text a "Copy" action puts on the clipboard: what the user would type or paste. */
export function copyText(a: Action): string {
  switch (a.kind) {
    case 'runShell':
      return a.cwd ? `cd ${shQuote(a.cwd)} && ${a.command}` : a.command;
    case 'appendToProfile':
      return a.line;
    case 'openUrl':
      return a.url;
    case 'runVsCodeCommand':
      return a.args.length ? `${a.command} ${a.args.join(' ')}` : a.command;
    case 'editFile':
      return a.edits.map((e) => e.newText).join('\n');
  }
}

/** Last path segment of a URI or path, decoded. */
export function baseName(uriOrPath: string): string {
  const p = uriOrPath.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const seg = p.slice(p.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

/** `file:///a/b%20c` -> `/a/b c` (Windows drive paths `/c:/x` -> `c:/x`); other URIs unchanged. */
export function uriToPath(uri: string): string {
  if (!uri.startsWith('file://')) return uri;
  let p = uri.slice('file://'.length).replace(/^[^/]*/, ''); // drop the authority
  try {
    p = decodeURIComponent(p);
  } catch {
    /* keep as is */
  }
  if (/^\/[A-Za-z]:/.test(p)) p = p.slice(1);
  return p;
}

/** 1-based `line:col` of a range start, as editors show it. */
export function positionLabel(r: Range): string {
  return `${r.start.line + 1}:${r.start.character + 1}`;
}

export function locationLabel(l: Location): string {
  return `${baseName(l.uri)}:${positionLabel(l.range)}`;
}

/** One line describing an action, for tree items, tooltips and confirmations. */
export function describeAction(a: Action): string {
  switch (a.kind) {
    case 'editFile':
      return `edit ${baseName(a.uri)} (${plural(a.edits.length, 'change')})`;
    case 'runShell':
      return a.cwd ? `run in ${a.cwd}: ${a.command}` : `run: ${a.command}`;
    case 'appendToProfile':
      return `add to ${a.file}: ${a.line}`;
    case 'runVsCodeCommand':
      return `VS Code command: ${a.command}${a.args.length ? ` ${a.args.join(' ')}` : ''}`;
    case 'openUrl':
      return `open ${a.url}`;
  }
}

/** Offsets of each line start in `text` (UTF-16 code units, as JS strings and VS Code count). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Offset of a line/character position, clamped to the text (VS Code's validatePosition). */
export function offsetAt(text: string, line: number, character: number, starts = lineStarts(text)): number {
  if (line < 0) return 0;
  if (line >= starts.length) return text.length;
  const lineStart = starts[line];
  let lineEnd = text.length;
  if (line + 1 < starts.length) {
    lineEnd = starts[line + 1] - 1; // the \n or lone \r
    if (text.charCodeAt(lineEnd) === 10 && lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
  }
  return Math.min(lineStart + Math.max(0, character), lineEnd);
}

/** Apply text edits (ranges by line/character, all relative to the original text). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = lineStarts(text);
  const spans = edits
    .map((e) => ({
      start: offsetAt(text, e.range.start.line, e.range.start.character, starts),
      end: offsetAt(text, e.range.end.line, e.range.end.character, starts),
      newText: e.newText,
    }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.newText + out.slice(Math.max(s.start, s.end));
  return out;
}

/** Before -> after lines of each edit: the whole lines touched, for confirmations and reports. */
export function editPreview(text: string, edits: readonly TextEdit[]): Array<{ line: number; before: string; after: string }> {
  const starts = lineStarts(text);
  const lines = (t: string) => t.split(/\r\n|\r|\n/);
  return [...edits]
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
    .map((e) => {
      const fromLine = Math.min(e.range.start.line, starts.length - 1);
      const toLine = Math.min(e.range.end.line, starts.length - 1);
      const a = starts[fromLine];
      const endOfTo = offsetAt(text, toLine, Number.MAX_SAFE_INTEGER, starts);
      const before = text.slice(a, endOfTo);
      const s = offsetAt(text, e.range.start.line, e.range.start.character, starts);
      const en = offsetAt(text, e.range.end.line, e.range.end.character, starts);
      const after = text.slice(a, s) + e.newText + text.slice(en, endOfTo);
      return {
        line: fromLine + 1,
        before: lines(before).map((l) => l.trim()).filter(Boolean).join(' ⏎ '),
        after: lines(after).map((l) => l.trim()).filter(Boolean).join(' ⏎ '),
      };
    });
}

type Pos = Range['start'];
const cmp = (x: Pos, y: Pos) => x.line - y.line || x.character - y.character;

/** Whether two edits would conflict in one WorkspaceEdit (touching ranges are fine). */
export function rangesOverlap(a: Range, b: Range): boolean {
  const aEmpty = cmp(a.start, a.end) === 0;
  const bEmpty = cmp(b.start, b.end) === 0;
  // Two inserts at the same point conflict too: their order would be arbitrary.
  if (aEmpty && bEmpty) return cmp(a.start, b.start) === 0;
  if (aEmpty) return cmp(b.start, a.start) <= 0 && cmp(a.start, b.end) < 0;
  if (bEmpty) return cmp(a.start, b.start) <= 0 && cmp(b.start, a.end) < 0;
  return cmp(a.start, b.end) < 0 && cmp(b.start, a.end) < 0;
}

export interface PlannedFix {
  finding: Finding;
  fix: Fix;
}

export interface SafeFixPlan {
  /** Fixes whose edits go into the one WorkspaceEdit. */
  apply: PlannedFix[];
  /** uri -> edits, non-overlapping, in document order. */
  edits: Map<string, TextEdit[]>;
  /** Safe fixes left out because their edits overlap an earlier one (applied on the next run). */
  conflicting: PlannedFix[];
  /** Safe fixes that are not edits (shell commands, URLs): not applied by "Fix all". */
  notEdits: PlannedFix[];
  /** Unsafe and display-only fixes, never applied by "Fix all". */
  excluded: number;
}

/**
 * Plan "Fix all safe issues": every `safe` fix made only of file edits, first fix of a finding
 * first, errors before warnings. A fix whose edits overlap an already planned edit is held back
 * whole (it will show up again, recomputed, after the re-run).
 */
export function planSafeFixes(report: Report): SafeFixPlan {
  const plan: SafeFixPlan = { apply: [], edits: new Map(), conflicting: [], notEdits: [], excluded: 0 };
  const findings = [...report.findings].sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
  for (const finding of findings) {
    let tookOne = false;
    for (const fix of finding.fixes) {
      if (fix.applicability !== 'safe') {
        plan.excluded++;
        continue;
      }
      if (!fix.actions.length || fix.actions.some((a) => a.kind !== 'editFile')) {
        plan.notEdits.push({ finding, fix });
        continue;
      }
      if (tookOne) continue; // one fix per finding: alternatives would fight each other
      const edits = fix.actions.flatMap((a) => (a.kind === 'editFile' ? a.edits.map((e) => ({ uri: a.uri, e })) : []));
      const clash = edits.some(({ uri, e }) => (plan.edits.get(uri) ?? []).some((p) => rangesOverlap(p.range, e.range)));
      if (clash) {
        plan.conflicting.push({ finding, fix });
        continue;
      }
      for (const { uri, e } of edits) {
        const list = plan.edits.get(uri) ?? [];
        list.push(e);
        plan.edits.set(uri, list);
      }
      plan.apply.push({ finding, fix });
      tookOne = true;
    }
  }
  for (const list of plan.edits.values()) {
    list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }
  return plan;
}

// ---------------------------------------------------------------------------------------------
// The view model

export interface FixView {
  /** Stable id within the report. */
  id: string;
  fix: Fix;
  fixIndex: number;
  finding: Finding;
  mode: FixMode;
  /** Title, with " (review)" for unsafe fixes. */
  label: string;
  /** One line per action. */
  actions: string[];
  /** For display-only fixes: the command/line/URL to show and copy. */
  display?: string;
}

export interface FindingView {
  id: string;
  finding: Finding;
  /** Index in report.findings. */
  index: number;
  /** `GSD103 GOROOT does not belong to the go binary`. */
  label: string;
  messageLines: string[];
  evidence: string[];
  location?: { location: Location; label: string; path: string };
  related: Array<{ message: string; location: Location; label: string }>;
  fixes: FixView[];
  /** At least one fix that can be applied (safe or unsafe). */
  fixable: boolean;
  docUrl: string;
  /** Markdown tooltip. */
  tooltip: string;
}

export interface CheckView {
  id: string;
  check: Check;
  label: string;
  description: string;
  docUrl: string;
  tooltip: string;
}

export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
  passed: number;
  skipped: number;
}

export interface CategoryView {
  id: string;
  category: Category;
  title: string;
  counts: Counts;
  /** Worst state, for the icon. */
  worst: Severity | 'passed' | 'skipped';
  /** `1 error, 2 warnings` / `3 passed` / `2 passed, 1 skipped`. */
  description: string;
  findings: FindingView[];
  passed: CheckView[];
  skipped: CheckView[];
}

export interface StatusView {
  level: 'ok' | 'warning' | 'error';
  /** Status bar text with codicons: `$(check) Go` or `$(error) 2 $(warning) 1`. */
  text: string;
  tooltip: string;
}

export interface ViewModel {
  engineVersion: string;
  counts: Counts;
  categories: CategoryView[];
  findings: FindingView[];
  status: StatusView;
  /** Short line for the tree view's message. */
  headline: string;
  /** Any safe fix that "Fix all safe issues" would apply. */
  hasSafeFixes: boolean;
}

function countsText(c: Counts): string {
  const parts: string[] = [];
  if (c.errors) parts.push(plural(c.errors, 'error'));
  if (c.warnings) parts.push(plural(c.warnings, 'warning'));
  if (c.infos) parts.push(plural(c.infos, 'info', 'infos'));
  if (c.passed) parts.push(`${c.passed} passed`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  return parts.join(', ');
}

function mdEscape(s: string): string {
  return s.replace(/([\\`*_{}[\]()#+!|<>])/g, '\\$1');
}

/**
 * Text for Markdown where the engine's `code spans` render as code: outside them every Markdown
 * character is escaped; inside, nothing (backslashes are literal in a code span). Unbalanced
 * backticks: everything escaped.
 */
export function mdText(s: string): string {
  const parts = s.split('`');
  if (parts.length % 2 === 0) return mdEscape(s);
  return parts.map((p, i) => (i % 2 ? `\`${p}\`` : mdEscape(p))).join('');
}

function fixView(finding: Finding, findingId: string, fix: Fix, fixIndex: number): FixView {
  const mode = fixMode(fix.applicability);
  const v: FixView = {
    id: `${findingId}/fix${fixIndex}`,
    fix,
    fixIndex,
    finding,
    mode,
    label: fixLabel(fix),
    actions: fix.actions.map(describeAction),
  };
  if (mode === 'display') {
    const shown = fix.actions.filter((a) => a.kind !== 'editFile').map(copyText);
    if (shown.length) v.display = shown.join('\n');
  }
  return v;
}

function findingView(f: Finding, index: number, id: string): FindingView {
  const fixes = f.fixes.map((x, i) => fixView(f, id, x, i));
  const url = docUrl(f.doc || docPathFor(f.code, f.name));
  const tooltip = [
    `**${mdEscape(f.code)}** ${mdText(f.title)} _(${f.severity}, ${mdEscape(f.name)})_`,
    '',
    ...f.message.split(/\r?\n/).map(mdText),
    ...(f.evidence.length ? ['', ...f.evidence.map((e) => `- \`${e.replace(/`/g, "'")}\``)] : []),
    ...(fixes.length ? ['', '**Fixes**', ...fixes.map((x) => `- ${mdText(x.label)} _(${x.mode})_: ${x.actions.map(mdEscape).join('; ')}`)] : []),
    '',
    `[Rule documentation](${url})`,
  ].join('\n');
  const v: FindingView = {
    id,
    finding: f,
    index,
    label: `${f.code} ${f.title}`,
    messageLines: f.message.split(/\r?\n/).map((l) => l.trimEnd()).filter((l) => l.trim() !== ''),
    evidence: f.evidence,
    related: f.related.map((r) => ({ message: r.message, location: r.location, label: locationLabel(r.location) })),
    fixes,
    fixable: fixes.some((x) => x.mode !== 'display' && x.fix.actions.length > 0),
    docUrl: url,
    tooltip,
  };
  if (f.location) v.location = { location: f.location, label: locationLabel(f.location), path: uriToPath(f.location.uri) };
  return v;
}

function checkView(c: Check): CheckView {
  const url = docUrl(docPathFor(c.code, c.name));
  const skipped = c.status === 'skipped';
  return {
    id: `check:${c.code}`,
    check: c,
    label: `${c.code} ${c.summary || c.name}`,
    description: skipped ? `skipped: ${c.reason ?? 'no reason given'}` : c.status === 'passed' ? 'ok' : 'failed',
    docUrl: url,
    tooltip: `${c.code} ${c.name}: ${c.summary}${skipped ? `\n\nSkipped: ${c.reason ?? 'no reason given'}` : ''}`,
  };
}

export function statusView(counts: Counts): StatusView {
  if (!counts.errors && !counts.warnings) {
    const extra = counts.infos ? `, ${plural(counts.infos, 'note')}` : '';
    return {
      level: 'ok',
      text: '$(check) Go',
      tooltip: `Go Setup Doctor: no problems found (${counts.passed} checks passed${counts.skipped ? `, ${counts.skipped} skipped` : ''}${extra}). Click to show the report.`,
    };
  }
  const parts: string[] = [];
  if (counts.errors) parts.push(`$(error) ${counts.errors}`);
  if (counts.warnings) parts.push(`$(warning) ${counts.warnings}`);
  return {
    level: counts.errors ? 'error' : 'warning',
    text: parts.join(' '),
    tooltip: `Go Setup Doctor: ${countsText({ ...counts, passed: 0, skipped: 0 })}. Click to show the report.`,
  };
}

/**
 * Tree id of a category. A category with findings gets an id naming them (code and severity), so
 * that VS Code, which keeps a tree item's collapsed/expanded state by id, shows it expanded again
 * when a run reports something new there, while the same findings keep the state the user chose.
 * A category with only passing/skipped checks has a plain id and stays as the user left it.
 */
export function categoryId(category: Category, findings: readonly FindingView[]): string {
  if (!findings.length) return `category:${category}`;
  const sig = [...new Set(findings.map((f) => `${f.finding.code}.${f.finding.severity}`))].sort().join(',');
  return `category:${category}:${sig}`;
}

/** The kinds of remote `vscode.env.remoteName` names (the part before `+` of the authority). */
export const KNOWN_REMOTES: readonly string[] = [
  'ssh-remote',
  'wsl',
  'dev-container',
  'attached-container',
  'codespaces',
  'tunnel',
  'k8s-container',
];

/**
 * What to print for `vscode.env.remoteName`: a known kind as is, anything else (code-server and
 * other hosts put `host:port` there) as `other`, never the raw value. Undefined when local.
 */
export function remoteKind(remoteName: string | undefined | null): string | undefined {
  if (!remoteName) return undefined;
  const kind = remoteName.split('+')[0].trim().toLowerCase();
  return KNOWN_REMOTES.includes(kind) ? kind : 'other';
}

/** `remote ssh-remote` / `remote (other)` / undefined when local. */
export function remoteLabel(remoteName: string | undefined | null): string | undefined {
  const kind = remoteKind(remoteName);
  if (!kind) return undefined;
  return kind === 'other' ? 'remote (other)' : `remote ${kind}`;
}

/** Build the view model. Findings are sorted by severity, then code; ids are stable across runs. */
export function buildViewModel(report: Report): ViewModel {
  const seen = new Map<string, number>();
  const all = report.findings.map((f, index) => {
    const n = seen.get(f.code) ?? 0;
    seen.set(f.code, n + 1);
    return findingView(f, index, `finding:${f.code}:${n}`);
  });
  const sorted = [...all].sort(
    (a, b) =>
      severityRank(a.finding.severity) - severityRank(b.finding.severity) ||
      a.finding.code.localeCompare(b.finding.code) ||
      a.index - b.index,
  );
  const known = new Set(CATEGORIES.map((c) => c.id));
  const extraCats = [...new Set([...report.findings.map((f) => f.category), ...report.checks.map((c) => c.category)])]
    .filter((c) => !known.has(c))
    .map((id) => ({ id, title: String(id) }));

  const categories: CategoryView[] = [];
  for (const { id, title } of [...CATEGORIES, ...extraCats]) {
    const findings = sorted.filter((f) => f.finding.category === id);
    // Checks for another platform are not shown: they were not run here and claim nothing.
    const checks = report.checks.filter((c) => c.category === id && c.status !== 'notApplicable');
    if (!findings.length && !checks.length) continue;
    const passed = checks.filter((c) => c.status === 'passed').map(checkView);
    const skipped = checks.filter((c) => c.status === 'skipped').map(checkView);
    const counts: Counts = {
      errors: findings.filter((f) => f.finding.severity === 'error').length,
      warnings: findings.filter((f) => f.finding.severity === 'warning').length,
      infos: findings.filter((f) => f.finding.severity === 'info').length,
      passed: passed.length,
      skipped: skipped.length,
    };
    const worst: CategoryView['worst'] = counts.errors
      ? 'error'
      : counts.warnings
        ? 'warning'
        : counts.infos
          ? 'info'
          : counts.passed || !counts.skipped
            ? 'passed'
            : 'skipped';
    categories.push({
      id: categoryId(id, findings),
      category: id,
      title,
      counts,
      worst,
      description: countsText(counts),
      findings,
      passed,
      skipped,
    });
  }

  const counts: Counts = {
    errors: all.filter((f) => f.finding.severity === 'error').length,
    warnings: all.filter((f) => f.finding.severity === 'warning').length,
    infos: all.filter((f) => f.finding.severity === 'info').length,
    passed: report.checks.filter((c) => c.status === 'passed').length,
    skipped: report.checks.filter((c) => c.status === 'skipped').length,
  };
  const problems = countsText({ ...counts, passed: 0, skipped: 0 });
  const headline = problems
    ? `${problems} · ${counts.passed} checks passed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`
    : `No problems found · ${counts.passed} checks passed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`;
  return {
    engineVersion: report.engineVersion,
    counts,
    categories,
    findings: sorted,
    status: statusView(counts),
    headline,
    hasSafeFixes: planSafeFixes(report).apply.length > 0,
  };
}

/** The finding a diagnostic stands for: same code, same file, same start. */
export function findFindingAt(
  report: Report | undefined,
  code: string,
  uri: string,
  start: { line: number; character: number },
): Finding | undefined {
  return report?.findings.find(
    (f) =>
      f.code === code &&
      f.location !== undefined &&
      sameUri(f.location.uri, uri) &&
      f.location.range.start.line === start.line &&
      f.location.range.start.character === start.character,
  );
}

/** URIs compared after decoding (VS Code re-encodes `file:` URIs: `c%3A`, `%20`). */
export function sameUri(a: string, b: string): boolean {
  if (a === b) return true;
  const norm = (u: string) => {
    try {
      // VS Code opens the user settings.json as vscode-userdata:<same path> (see editorUri.ts).
      return decodeURIComponent(u)
        .replace(/^vscode-userdata:\/{0,3}/, 'file:///')
        .replace(/^file:\/\/\/([A-Za-z]):/, (_, d: string) => `file:///${d.toLowerCase()}:`);
    } catch {
      return u;
    }
  };
  return norm(a) === norm(b);
}

/**
 * The open document that shows `uri` under another URI (vscode-userdata:<path> for a file:<path>),
 * if any; `undefined` when it is open under the same URI or not open.
 */
export function openDocumentFor(uri: string, openUris: readonly string[]): string | undefined {
  return openUris.find((o) => o !== uri && sameUri(o, uri));
}

/** The text the engine saw for a file it may edit: a settings layer, or a folder's
 * `.vscode/launch.json` (the engine names it `<folder uri>/.vscode/launch.json`). `undefined` for
 * any other file, whose freshness cannot be checked. */
export function snapshotTextOf(snapshot: Snapshot | undefined, uri: string): string | undefined {
  if (!snapshot) return undefined;
  const layer = snapshot.settings.find((l) => sameUri(l.uri, uri));
  if (layer) return layer.text ?? '';
  const folder = snapshot.workspace.folders.find((f) => f.launchJson && sameUri(`${f.uri.replace(/\/+$/, '')}/.vscode/launch.json`, uri));
  return folder?.launchJson?.text;
}
