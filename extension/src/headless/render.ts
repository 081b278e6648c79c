// The terminal report, flutter-doctor style. Pure: Report in, text out.
import { fileURLToPath } from 'url';
import type { Action } from '../engine/generated/Action';
import type { Applicability } from '../engine/generated/Applicability';
import type { Category } from '../engine/generated/Category';
import type { Check } from '../engine/generated/Check';
import type { Finding } from '../engine/generated/Finding';
import type { Location } from '../engine/generated/Location';
import type { Report } from '../engine/generated/Report';

/** Category order and titles, as the engine's `Category` enum declares them. */
export const CATEGORY_TITLES: Record<Category, string> = {
  toolchain: 'Go toolchain',
  tools: 'Tools',
  settings: 'VS Code settings',
  workspace: 'Workspace and modules',
  environment: 'Environment',
  platform: 'Platform and remote',
  extensions: 'Extensions',
  languageServer: 'Language server',
  probes: 'Probes',
};
const CATEGORY_ORDER = Object.keys(CATEGORY_TITLES) as Category[];

export const APPLICABILITY_LABELS: Record<Applicability, string> = {
  safe: 'safe',
  unsafe: 'needs review',
  displayOnly: 'manual',
};

export interface RenderOptions {
  color: boolean;
  /** What was diagnosed (folder or workspace file), for the header. */
  target?: string;
  gatherMs?: number;
  engineMs?: number;
  /** Rewrites every path-like text for display (e.g. redaction). */
  display?: (s: string) => string;
}

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  blue: '\u001b[34m',
};
type Style = keyof typeof ANSI;

export function uriToPath(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

/** `path:line:col`, 1-based, as terminals and editors link them. */
export function formatLocation(loc: Location): string {
  return `${uriToPath(loc.uri)}:${loc.range.start.line + 1}:${loc.range.start.character + 1}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One-line summary: "2 errors, 1 warning; 11 checks passed, 1 skipped". */
export function summaryLine(report: Report): string {
  const s = report.summary;
  const problems = [plural(s.errors, 'error'), plural(s.warnings, 'warning')];
  if (s.infos > 0) problems.push(`${s.infos} info`);
  const na = s.notApplicable ? `, ${s.notApplicable} not applicable here` : '';
  return `${problems.join(', ')}; ${plural(s.passed, 'check')} passed, ${s.skipped} skipped${na}`;
}

function describeAction(a: Action): string {
  switch (a.kind) {
    case 'editFile':
      return a.edits.length === 0
        ? `edit ${uriToPath(a.uri)}`
        : a.edits.map((e) => `edit ${uriToPath(a.uri)}:${e.range.start.line + 1}:${e.range.start.character + 1}`).join('\n');
    case 'runShell':
      return `$ ${a.command}${a.cwd ? `   (in ${a.cwd})` : ''}`;
    case 'appendToProfile':
      return `add to ${a.file}: ${a.line}`;
    case 'runVsCodeCommand':
      return `VS Code command: ${[a.command, ...a.args].join(' ')}`;
    case 'openUrl':
      return `open ${a.url}`;
  }
}

export function renderReport(report: Report, opts: RenderOptions): string {
  const paint = (style: Style, s: string) => (opts.color ? `${ANSI[style]}${s}${ANSI.reset}` : s);
  const show = opts.display ?? ((s: string) => s);
  const lines: string[] = [];
  const push = (indent: number, text: string, style?: Style) => {
    for (const l of show(text).split('\n')) {
      const body = ' '.repeat(indent) + l;
      lines.push(style ? paint(style, body) : body);
    }
  };

  const header = `Go Setup Doctor (engine ${report.engineVersion})${opts.target ? ` — ${opts.target}` : ''}`;
  lines.push(paint('bold', show(header)));

  const findingsByCode = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const list = findingsByCode.get(f.code) ?? [];
    list.push(f);
    findingsByCode.set(f.code, list);
  }

  for (const category of CATEGORY_ORDER) {
    // Checks for another platform (macOS on Linux, WSL elsewhere) are counted in the footer only.
    const checks = report.checks.filter((c) => c.category === category && c.status !== 'notApplicable');
    // Findings whose code has no check line still belong somewhere.
    const orphans = report.findings.filter((f) => f.category === category && !report.checks.some((c) => c.code === f.code));
    if (checks.length === 0 && orphans.length === 0) continue;
    lines.push('');
    lines.push(paint('bold', CATEGORY_TITLES[category]));
    for (const check of checks) {
      renderCheck(check, findingsByCode.get(check.code) ?? []);
    }
    for (const f of orphans) renderFinding(f);
  }

  lines.push('');
  const s = report.summary;
  const footer = summaryLine(report);
  const timing: string[] = [];
  if (opts.gatherMs !== undefined) timing.push(`gather ${Math.round(opts.gatherMs)} ms`);
  if (opts.engineMs !== undefined) timing.push(`engine ${Math.round(opts.engineMs)} ms`);
  const footerStyle: Style = s.errors > 0 ? 'red' : s.warnings > 0 ? 'yellow' : 'green';
  lines.push(paint(footerStyle, footer) + (timing.length ? paint('dim', `  (${timing.join(', ')})`) : ''));
  if (s.errors === 0 && s.warnings === 0) lines.push(paint('green', '• No issues found!'));
  return lines.join('\n') + '\n';

  function renderCheck(check: Check, findings: Finding[]): void {
    if (check.status === 'skipped') {
      lines.push(paint('dim', show(`  – ${check.summary} (skipped: ${check.reason ?? 'no reason given'})`)));
      return;
    }
    if (check.status === 'passed' || findings.length === 0) {
      lines.push(`  ${paint('green', '✓')} ${show(check.summary)}`);
      return;
    }
    const worst = findings.some((f) => f.severity === 'error') ? 'error' : findings.some((f) => f.severity === 'warning') ? 'warning' : 'info';
    const mark = worst === 'error' ? paint('red', '✗') : worst === 'warning' ? paint('yellow', '!') : paint('blue', '•');
    lines.push(`  ${mark} ${show(check.summary)}`);
    for (const f of findings) renderFinding(f);
  }

  function renderFinding(f: Finding): void {
    const sevStyle: Style = f.severity === 'error' ? 'red' : f.severity === 'warning' ? 'yellow' : 'blue';
    lines.push(`      ${paint(sevStyle, paint('bold', `${f.code} ${f.name}`))}  ${show(f.title)}`);
    push(6, f.message);
    for (const e of f.evidence) push(10, e, 'dim');
    if (f.location) push(6, `at ${formatLocation(f.location)}`);
    for (const r of f.related) push(6, `see ${formatLocation(r.location)}: ${r.message}`, 'dim');
    for (const fix of f.fixes) {
      const label = APPLICABILITY_LABELS[fix.applicability];
      const labelStyle: Style = fix.applicability === 'safe' ? 'green' : fix.applicability === 'unsafe' ? 'yellow' : 'dim';
      lines.push(`      ${paint(labelStyle, `fix (${label}):`)} ${show(fix.title)}`);
      for (const a of fix.actions) push(10, describeAction(a));
    }
  }
}
