// The extension's state, shared by commands and presenters: the engine, our config, the output
// channel, disposables, and the last Report + Snapshot. Presenters render from here on change.
import * as vscode from 'vscode';
import { Config } from './config';
import { engineRules, engineVersion, runEngine } from './engine/index';
import type { Report } from './engine/generated/Report';
import type { RuleInfo } from './engine/generated/RuleInfo';
import type { Snapshot } from './engine/generated/Snapshot';
import { buildViewModel, type ViewModel } from './present/model';

export interface Engine {
  run(snapshot: Snapshot): Report;
  rules(): RuleInfo[];
  version(): string;
}

/** Schedules diagnosis runs (debounced) or runs one now; installed by commands/index.ts. */
export interface Runner {
  /** Debounced run; `delayMs` defaults to the trigger debounce (~500 ms). */
  schedule(reason: string, delayMs?: number): void;
  /** Run now. `explicit` runs show a progress notification and report failures in a message. */
  runNow(reason: string, explicit: boolean): Promise<boolean>;
}

/** What the last finished run produced. */
export interface Result {
  seq: number;
  snapshot: Snapshot;
  report: Report;
  model: ViewModel;
  finishedAt: Date;
  durationMs: number;
}

/** The last run failed: gather or engine threw (the snapshot is kept when gather succeeded). */
export interface Failure {
  seq: number;
  message: string;
  snapshot?: Snapshot;
  at: Date;
}

export class Ctx implements vscode.Disposable {
  readonly config = new Config();
  readonly log: vscode.LogOutputChannel;
  readonly engine: Engine = { run: runEngine, rules: engineRules, version: engineVersion };
  readonly disposables: vscode.Disposable[] = [];

  /** Number of the newest run started; results of older runs are dropped. */
  runSeq = 0;
  running = false;
  result?: Result;
  failure?: Failure;
  runner!: Runner;

  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when running/result/failure changes. */
  readonly onDidChange = this.changed.event;

  /** `log`: the output channel activation created (and disposes); else the Ctx makes its own. */
  constructor(
    readonly ext: vscode.ExtensionContext,
    log?: vscode.LogOutputChannel,
  ) {
    this.log = log ?? vscode.window.createOutputChannel('Go Setup Doctor', { log: true });
    if (!log) this.disposables.push(this.log);
    this.disposables.push(this.changed);
  }

  get report(): Report | undefined {
    return this.result?.report;
  }

  get snapshot(): Snapshot | undefined {
    return this.result?.snapshot ?? this.failure?.snapshot;
  }

  get extensionVersion(): string {
    return String((this.ext.extension.packageJSON as { version?: unknown }).version ?? '');
  }

  subscribe<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  /** Start a run; returns its number. */
  beginRun(): number {
    this.runSeq++;
    this.running = true;
    this.changed.fire();
    return this.runSeq;
  }

  isCurrent(seq: number): boolean {
    return seq === this.runSeq;
  }

  /** Finish a run; ignored when a newer run has started (stale result). */
  finishRun(seq: number, snapshot: Snapshot, report: Report, durationMs: number): boolean {
    if (!this.isCurrent(seq)) return false;
    this.result = { seq, snapshot, report, model: buildViewModel(report), finishedAt: new Date(), durationMs };
    this.failure = undefined;
    this.running = false;
    this.changed.fire();
    return true;
  }

  failRun(seq: number, message: string, snapshot?: Snapshot): boolean {
    if (!this.isCurrent(seq)) return false;
    this.failure = { seq, message, snapshot, at: new Date() };
    this.running = false;
    this.changed.fire();
    return true;
  }

  /** A run ended without a result (cancelled). */
  abandonRun(seq: number): void {
    if (!this.isCurrent(seq)) return;
    this.running = false;
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        /* keep disposing the rest */
      }
    }
  }
}
