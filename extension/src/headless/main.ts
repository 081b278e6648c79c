// The headless doctor: settings files → gather → WASM engine → report (and `--fix`).
import * as fs from 'fs';
import * as path from 'path';
import { preloadEngine, runEngine } from '../engine/index';
import type { Report } from '../engine/generated/Report';
import type { Snapshot } from '../engine/generated/Snapshot';
import { DiskProbeCache, defaultCacheDir, memoryProbeCache, type ProbeCache } from '../gather/cache';
import { redactOptionsFromEnv, redactText, redactValue } from '../gather/redact';
import { loadWorkspaceSettings } from '../gather/settingsFiles';
import { redactSnapshot } from '../present/markdown';
import { gatherSnapshot } from '../gather/snapshot';
import { parseArgs, USAGE, type CliArgs } from './args';
import { applySafeFixes, type FixResult } from './fix';
import { renderReport, summaryLine } from './render';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Whether stdout is a terminal (colour is used only then). */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Rounds of fix → re-diagnose when fixes collide; one is the usual case. */
const MAX_FIX_ROUNDS = 3;

interface Diagnosis {
  snapshot: Snapshot;
  report: Report;
  gatherMs: number;
  engineMs: number;
}

async function diagnose(args: CliArgs, target: string, io: Io, cache: ProbeCache | null): Promise<Diagnosis> {
  const t0 = performance.now();
  const layout = await loadWorkspaceSettings({ target, userSettingsFile: args.userSettings, env: io.env });
  const snapshot = await gatherSnapshot({
    folders: layout.folders,
    layers: layout.layers,
    workspaceFile: layout.workspaceFile,
    env: io.env,
    trusted: !args.untrusted,
    timeoutMs: args.timeoutMs,
    toolTimeoutMs: args.timeoutMs,
    origin: 'headless',
    cache,
    exthostLogDir: args.vscodeLogs ? path.resolve(io.cwd, args.vscodeLogs) : undefined,
  });
  const t1 = performance.now();
  // Join the background compile started in main() rather than compiling a second time.
  await preloadEngine();
  const report = runEngine(snapshot);
  const t2 = performance.now();
  return { snapshot, report, gatherMs: t1 - t0, engineMs: t2 - t1 };
}

function describeFixes(r: FixResult, show: (s: string) => string): string {
  const lines: string[] = [];
  const byFile = new Map<string, string[]>();
  for (const a of r.applied) {
    const l = byFile.get(a.file) ?? [];
    l.push(`  ✓ ${a.code} ${a.title}`);
    byFile.set(a.file, l);
  }
  for (const [file, l] of byFile) lines.push(show(`Changed ${file}:`), ...l.map(show));
  for (const x of r.refused) lines.push(show(`  ✗ ${x.code} ${x.title}: not applied to ${x.file}: ${x.reason}`));
  if (r.applied.length === 0 && r.refused.length === 0) lines.push('No safe fixes to apply.');
  return lines.join('\n') + '\n';
}

export async function main(argv: string[], io: Io): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    io.stderr(`go-setup-doctor: ${parsed.error}\n\n${USAGE}\n`);
    return 2;
  }
  const args = parsed.args;
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const target = path.resolve(io.cwd, args.target ?? '.');
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(target);
  } catch {
    stat = undefined;
  }
  if (!stat) {
    io.stderr(`go-setup-doctor: ${target} does not exist (expected a folder or a .code-workspace file)\n`);
    return 2;
  }
  if (!stat.isDirectory() && !target.endsWith('.code-workspace')) {
    io.stderr(`go-setup-doctor: ${target} is not a folder or a .code-workspace file\n`);
    return 2;
  }
  if (args.userSettings && !fs.existsSync(path.resolve(io.cwd, args.userSettings))) {
    io.stderr(`go-setup-doctor: note: user settings file ${args.userSettings} does not exist; diagnosing without it\n`);
  }
  if (args.userSettings) args.userSettings = path.resolve(io.cwd, args.userSettings);

  const redactOpts = redactOptionsFromEnv(io.env);
  const show = (s: string) => (args.redact ? redactText(s, redactOpts) : s);
  const color = !args.noColor && io.isTTY && io.env.NO_COLOR === undefined;
  // With --json, stdout carries the Report only: everything else goes to stderr.
  const note = args.json ? io.stderr : io.stdout;

  // Probe results persist between runs in a cache directory unless --no-cache.
  const cacheDir = args.cacheDir ? path.resolve(io.cwd, args.cacheDir) : defaultCacheDir(io.env);
  const cache: ProbeCache | null = args.noCache ? null : cacheDir ? new DiskProbeCache(cacheDir) : memoryProbeCache;

  // Compile the engine while the probes run (their wait hides it).
  void preloadEngine();
  let d: Diagnosis;
  try {
    d = await diagnose(args, target, io, cache);
  } catch (e) {
    io.stderr(`go-setup-doctor: the diagnosis failed: ${(e as Error).stack ?? String(e)}\n`);
    return 3;
  }

  if (args.fix) {
    note(show(`Before: ${summaryLine(d.report)}\n`));
    for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
      const r = await applySafeFixes(d.snapshot, d.report);
      if (r.applied.length > 0 || r.refused.length > 0 || round === 0) note(describeFixes(r, show));
      if (r.applied.length === 0) break;
      note('Re-diagnosing...\n');
      d = await diagnose(args, target, io, cache);
      if (r.deferred === 0) break;
    }
  }

  if (args.snapshotOut) {
    // As "Copy Go setup report" does: values of settings unrelated to Go are left out too.
    const snap = args.redact ? redactSnapshot(d.snapshot, redactOpts) : d.snapshot;
    fs.writeFileSync(path.resolve(io.cwd, args.snapshotOut), JSON.stringify(snap, null, 2) + '\n');
  }

  if (args.json) {
    const report = args.redact ? redactValue(d.report, redactOpts) : d.report;
    io.stdout(JSON.stringify(report, null, 2) + '\n');
  } else {
    io.stdout(
      renderReport(d.report, {
        color,
        target,
        gatherMs: d.gatherMs,
        engineMs: d.engineMs,
        display: show,
      }),
    );
  }
  return d.report.summary.errors > 0 ? 1 : 0;
}
