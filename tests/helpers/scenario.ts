// Builds a real broken (or healthy) Go setup in a temp dir — temp HOME, real folders, real
// settings files, a PATH of real toolchain dirs — and diagnoses it with the real gatherer and
// the real WASM engine, the way the headless CLI does.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { after } from 'node:test';
import { fileURLToPath } from 'url';
import { applyTextEdits } from '../../extension/src/headless/fix';
import { runEngine } from '../../extension/src/engine/index';
import type { Finding } from '../../extension/src/engine/generated/Finding';
import type { Fix } from '../../extension/src/engine/generated/Fix';
import type { Report } from '../../extension/src/engine/generated/Report';
import type { Snapshot } from '../../extension/src/engine/generated/Snapshot';
import { loadWorkspaceSettings } from '../../extension/src/gather/settingsFiles';
import { gatherSnapshot, type GatherOptions } from '../../extension/src/gather/snapshot';

export interface Diagnosis {
  snapshot: Snapshot;
  report: Report;
}

export class Scenario {
  readonly root: string;
  readonly home: string;

  private constructor(root: string) {
    this.root = root;
    this.home = path.join(root, 'home');
    fs.mkdirSync(this.home, { recursive: true });
  }

  static create(label: string): Scenario {
    return new Scenario(fs.mkdtempSync(path.join(os.tmpdir(), `gsd-${label}-`)));
  }

  path(...rel: string[]): string {
    return path.join(this.root, ...rel);
  }

  /** Write a file (parents created); returns its absolute path. */
  write(rel: string, text: string, mode?: number): string {
    const p = path.isAbsolute(rel) ? rel : this.path(rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    if (mode !== undefined) fs.chmodSync(p, mode);
    return p;
  }

  /** An executable shell script. */
  script(rel: string, body: string): string {
    return this.write(rel, `#!/bin/sh\n${body}\n`, 0o755);
  }

  /** A symlink `rel` → `target` (parents created). */
  link(rel: string, target: string): string {
    const p = this.path(rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.symlinkSync(target, p);
    return p;
  }

  /** A folder holding `files` (relative path → text). */
  folder(rel: string, files: Record<string, string> = {}): string {
    const dir = this.path(rel);
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) this.write(path.join(dir, name), text);
    return dir;
  }

  /** A module folder: go.mod with `go <goLine>` and a main.go. */
  module(rel: string, goLine = '1.19', extra: Record<string, string> = {}): string {
    return this.folder(rel, {
      'go.mod': `module example.com/${path.basename(rel)}\n\ngo ${goLine}\n`,
      'main.go': 'package main\n\nfunc main() {}\n',
      ...extra,
    });
  }

  /** VS Code's user settings file in its Linux default location under the temp HOME. */
  userSettings(text: string): string {
    return this.write(path.join(this.home, '.config', 'Code', 'User', 'settings.json'), text);
  }

  folderSettings(folder: string, text: string): string {
    return this.write(path.join(folder, '.vscode', 'settings.json'), text);
  }

  /** A clean environment: temp HOME, the given PATH dirs, nothing inherited from this machine. */
  env(pathDirs: string[], extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      HOME: this.home,
      USER: 'gopher',
      SHELL: '/bin/bash',
      PATH: pathDirs.join(':'),
      TMPDIR: os.tmpdir(),
      ...extra,
    };
  }

  async diagnose(opts: {
    target: string;
    env: NodeJS.ProcessEnv;
    trusted?: boolean;
    timeoutMs?: number;
    userSettingsFile?: string;
    gather?: Partial<GatherOptions>;
  }): Promise<Diagnosis> {
    const layout = await loadWorkspaceSettings({ target: opts.target, userSettingsFile: opts.userSettingsFile, env: opts.env });
    const snapshot = await gatherSnapshot({
      folders: layout.folders,
      layers: layout.layers,
      workspaceFile: layout.workspaceFile,
      env: opts.env,
      trusted: opts.trusted,
      timeoutMs: opts.timeoutMs,
      ...opts.gather,
    });
    return { snapshot, report: runEngine(snapshot) };
  }

  cleanup(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

export function findingsOf(report: Report, code: string): Finding[] {
  return report.findings.filter((f) => f.code === code);
}

export function codesOf(report: Report): string[] {
  return [...new Set(report.findings.map((f) => f.code))].sort();
}

/** A readable dump for assertion messages. */
export function explain(d: Diagnosis | Report): string {
  const report = 'report' in d ? d.report : d;
  return report.findings.map((f) => `${f.code} [${f.severity}] ${f.title}\n  ${f.message}\n  ${f.evidence.join('\n  ')}`).join('\n');
}

/** Every fix's shell commands and profile lines, for assertions. */
export function fixCommands(f: Finding): string[] {
  return f.fixes.flatMap((x) =>
    x.actions.flatMap((a) => (a.kind === 'runShell' ? [a.command] : a.kind === 'appendToProfile' ? [`${a.file}: ${a.line}`] : [])),
  );
}

/**
 * Apply the editFile actions of `fix` to the real files, as the extension's quick fix does (the
 * headless CLI's applyTextEdits); returns the new text of the last file edited. Fails when the fix
 * edits no file.
 */
export function applyEditFix(fix: Fix | undefined): string {
  if (!fix) throw new Error('no such fix');
  let text: string | undefined;
  for (const a of fix.actions) {
    if (a.kind !== 'editFile') continue;
    const file = fileURLToPath(a.uri);
    text = applyTextEdits(fs.readFileSync(file, 'utf8'), a.edits);
    fs.writeFileSync(file, text);
  }
  if (text === undefined) throw new Error(`fix "${fix.title}" edits no file`);
  return text;
}

/** The first fix of `f` that edits a file. */
export function editFix(f: Finding): Fix | undefined {
  return f.fixes.find((x) => x.actions.some((a) => a.kind === 'editFile'));
}

/**
 * `scenario(label)` for one test file: every Scenario it creates is removed in an after() hook of
 * that file (registered here, so call this at the file's top level). `beforeCleanup` runs on each
 * first (e.g. to give back permissions a test took away).
 */
export function scenarioFactory(beforeCleanup?: (s: Scenario) => void): (label: string) => Scenario {
  const made: Scenario[] = [];
  after(() => {
    for (const s of made) {
      beforeCleanup?.(s);
      s.cleanup();
    }
  });
  return (label) => {
    const s = Scenario.create(label);
    made.push(s);
    return s;
  };
}
