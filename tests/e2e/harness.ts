// End-to-end harness: a real VS Code (code-server, installed by scripts/install-code-server.sh)
// with our packaged VSIX installed the way a user installs it, driven by Playwright through
// Debian's Chromium.
//
// Every process a session starts is tagged with an environment variable (GSD_E2E_SESSION) so that
// `close()` can stop the code-server process group and Chromium, then sweep /proc for anything
// still carrying the tag (an extension host, a pty host, a renderer...) and kill it too; the tests
// assert that nothing tagged survives.
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '../..');
export const CODE_SERVER = path.join(ROOT, '.cache/code-server/node_modules/.bin/code-server');
export const VSIX = process.env.GSD_E2E_VSIX || path.join(ROOT, 'dist/go-setup-doctor.vsix');
export const ARTIFACTS = path.join(ROOT, 'tests/artifacts/e2e');
export const CHROMIUM = process.env.GSD_E2E_CHROMIUM || '/usr/bin/chromium';
export const EXTENSION_ID = 'go-setup-doctor.go-setup-doctor';

/** Generous but bounded: this machine has 2 cores and the workbench is heavy. */
export const T = { start: 90_000, ui: 30_000, diagnose: 60_000 };

/** What is missing for the e2e suite to run (empty when all is there). */
export function missingPrerequisites(): string[] {
  const out: string[] = [];
  if (!fs.existsSync(CODE_SERVER)) out.push(`${CODE_SERVER} (run scripts/install-code-server.sh)`);
  if (!fs.existsSync(CHROMIUM)) out.push(`${CHROMIUM} (run scripts/install-code-server.sh)`);
  if (!fs.existsSync(VSIX)) out.push(`${VSIX} (run npm run package)`);
  return out;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Write files (relative path → content) under dir. */
export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `gsd-e2e-${prefix}-`));
}

// ------------------------------------------------------------------------------------------------
// Process bookkeeping

/** Processes whose environment carries GSD_E2E_SESSION=tag (pid and command line). */
export function taggedProcesses(tag: string): { pid: number; cmd: string }[] {
  const needle = Buffer.from(`GSD_E2E_SESSION=${tag}\0`);
  const out: { pid: number; cmd: string }[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const pid = Number(d);
    if (pid === process.pid) continue;
    try {
      const env = fs.readFileSync(`/proc/${d}/environ`);
      if (env.indexOf(needle) < 0) continue;
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      if (/\) Z /.test(stat)) continue; // a zombie is already dead; its parent will reap it
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      out.push({ pid, cmd });
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** Every process tagged by any e2e session (any GSD_E2E_SESSION value). */
export function anyTaggedProcesses(): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      const env = fs.readFileSync(`/proc/${d}/environ`, 'latin1');
      if (!env.includes('\0GSD_E2E_SESSION=') && !env.startsWith('GSD_E2E_SESSION=')) continue;
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      if (/\) Z /.test(stat)) continue;
      out.push({ pid: Number(d), cmd: fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() });
    } catch {
      // gone
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

// ------------------------------------------------------------------------------------------------
// A VS Code session

export type Trust = 'trust' | 'untrusted' | 'off';

export interface SessionOptions {
  /** The workspace folder to open. */
  folder: string;
  /** Extra user settings (merged over the harness defaults). */
  settings?: Record<string, unknown>;
  /** 'trust' (default): trust on, the dialog is answered "Yes"; 'untrusted': answered "No"; 'off'. */
  trust?: Trust;
  /**
   * The Go setup of the (temporary) user, written to $HOME/.profile as a user would: VS Code's
   * server starts the extension host with the environment of a login shell (`bash -il`), so a PATH
   * given only to the code-server process would be replaced by /etc/profile's. 'current' (default):
   * the newest Go of .cache/toolchains on PATH and a gopls and dlv that work with it in ~/go/bin,
   * on PATH (as `go install` puts them).
   * 'none': no Go on PATH.
   */
  go?: 'current' | 'none';
  /** Extra environment, exported both to code-server and in $HOME/.profile. */
  env?: Record<string, string>;
  /** A name used for screenshots and the temp dirs. */
  name: string;
  /** The VSIX to install before starting (default: dist/go-setup-doctor.vsix); null: none. */
  vsix?: string | null;
  /**
   * Also install a stand-in for the Go extension (id golang.go; default true). The real one comes
   * from the Marketplace, which this machine cannot reach; without it GSD701 fires in every
   * workspace. The stand-in has no code: only its id and version are seen by Go Setup Doctor.
   */
  goExtension?: boolean;
}

export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'always',
  'security.workspace.trust.untrustedFiles': 'open',
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.colorTheme': 'Default Dark Modern',
  // Typing in the tests is literal: no auto-closing, auto-indent or suggestions in the way.
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoSurround': 'never',
  'editor.autoIndent': 'none',
  'editor.formatOnType': false,
  'editor.formatOnPaste': false,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.hover.enabled': false,
  // Sticky tree headers duplicate rows in the DOM; the tests read rows.
  'workbench.tree.enableStickyScroll': false,
};

export class VsCode {
  readonly tag: string;
  readonly tmp: string;
  readonly userData: string;
  readonly extensionsDir: string;
  readonly log: string;
  /** The temporary $HOME of code-server and Chromium. */
  readonly home: string;
  /** Directories the session's .profile puts first on PATH. */
  pathPrepend: string[] = [];
  port = 0;
  child?: ChildProcess;
  context?: BrowserContext;
  page!: Page;
  private closed = false;
  /** Keep the temp dir (logs, profile) after close: set when a step failed. */
  keep = !!process.env.GSD_E2E_KEEP;

  constructor(readonly opts: SessionOptions) {
    this.tag = `${opts.name}-${process.pid}-${Date.now()}`;
    this.tmp = tempDir(opts.name);
    this.userData = path.join(this.tmp, 'user-data');
    this.extensionsDir = path.join(this.tmp, 'extensions');
    this.log = path.join(this.tmp, 'code-server.log');
    this.home = path.join(this.tmp, 'home');
    fs.mkdirSync(this.home, { recursive: true });
  }

  /** $HOME/.profile with the Go setup (see SessionOptions.go) and opts.env. */
  private writeProfile(): void {
    if ((this.opts.go ?? 'current') === 'current') {
      const go = currentGo();
      const gobin = path.join(this.home, 'go', 'bin');
      fs.mkdirSync(gobin, { recursive: true });
      fs.symlinkSync(go.gopls, path.join(gobin, 'gopls'));
      if (go.dlv) fs.symlinkSync(go.dlv, path.join(gobin, 'dlv'));
      this.pathPrepend = [go.bin, gobin];
    }
    const q = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
    const lines = ['# written by tests/e2e/harness.ts'];
    if (this.pathPrepend.length) lines.push(`export PATH=${q(this.pathPrepend.join(':'))}":$PATH"`);
    lines.push('unset GOROOT GOBIN GOPATH GOFLAGS');
    lines.push('export GOTOOLCHAIN=local');
    for (const [k, v] of Object.entries(this.opts.env ?? {})) lines.push(`export ${k}=${q(v)}`);
    fs.writeFileSync(path.join(this.home, '.profile'), `${lines.join('\n')}\n`);
  }

  get settingsFile(): string {
    return path.join(this.userData, 'User', 'settings.json');
  }

  private env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    // Don't leak the test runner's own node/tsx hooks into code-server.
    delete env.NODE_OPTIONS;
    delete env.NODE_TEST_CONTEXT;
    delete env.VSCODE_IPC_HOOK_CLI;
    delete env.GOROOT; // the Go on PATH decides
    delete env.GOBIN;
    delete env.GOPATH;
    delete env.GOFLAGS;
    env.HOME = this.home;
    const basePath = (env.PATH || '/usr/local/bin:/usr/bin:/bin')
      .split(':')
      .filter((p) => !/\/go(-[\d.]+)?\/bin$/.test(p)); // only the Go we choose
    env.PATH = [...this.pathPrepend, ...basePath].join(':');
    env.GOTOOLCHAIN = 'local';
    env.GSD_E2E_SESSION = this.tag;
    Object.assign(env, this.opts.env ?? {});
    return env;
  }

  /** `code-server --install-extension <vsix>`, as a user installs a downloaded VSIX. */
  installVsix(vsix = VSIX): string {
    const r = spawnSync(
      CODE_SERVER,
      ['--install-extension', vsix, '--extensions-dir', this.extensionsDir, '--user-data-dir', this.userData, '--force'],
      { env: this.env(), encoding: 'utf8', timeout: 120_000 },
    );
    const out = `${r.stdout}\n${r.stderr}`;
    if (r.status !== 0 || !/successfully installed/i.test(out)) {
      throw new Error(`installing the VSIX failed (exit ${r.status}):\n${out}`);
    }
    return out;
  }

  writeUserSettings(extra: Record<string, unknown> = {}): void {
    const trust = this.opts.trust ?? 'trust';
    const settings = {
      ...DEFAULT_SETTINGS,
      'security.workspace.trust.enabled': trust !== 'off',
      ...(this.opts.settings ?? {}),
      ...extra,
    };
    fs.mkdirSync(path.dirname(this.settingsFile), { recursive: true });
    fs.writeFileSync(this.settingsFile, JSON.stringify(settings, null, 2));
  }

  async start(): Promise<this> {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    this.writeProfile();
    const vsix = this.opts.vsix === undefined ? VSIX : this.opts.vsix;
    if (vsix) this.installVsix(vsix);
    if (this.opts.goExtension ?? true) this.installVsix(goExtensionStandIn());
    this.writeUserSettings();
    this.port = await freePort();
    const logFd = fs.openSync(this.log, 'a');
    this.child = spawn(
      CODE_SERVER,
      [
        '--auth', 'none',
        '--bind-addr', `127.0.0.1:${this.port}`,
        '--user-data-dir', this.userData,
        '--extensions-dir', this.extensionsDir,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        this.opts.folder,
      ],
      { env: this.env(), detached: true, stdio: ['ignore', logFd, logFd] },
    );
    fs.closeSync(logFd);
    await this.waitForServer();

    const profile = path.join(this.tmp, 'chromium-profile');
    this.context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      env: { ...this.env(), HOME: this.tmp },
      viewport: { width: 1400, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-dev-shm-usage',
      ],
      timeout: T.start,
    });
    // Clipboard for "copy" commands: grant it so the workbench does not prompt.
    await this.context
      .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${this.port}` })
      .catch(() => undefined);
    this.page = this.context.pages()[0] ?? (await this.context.newPage());
    this.page.setDefaultTimeout(T.ui);
    await this.page.goto(`http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this.opts.folder)}`, {
      timeout: T.start,
    });
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: T.start });
    await this.answerTrustDialog();
    // The activity bar and status bar are there once the workbench has restored its parts.
    await this.page.locator('.statusbar').waitFor({ state: 'visible', timeout: T.start });
    return this;
  }

  private async waitForServer(): Promise<void> {
    const deadline = Date.now() + T.start;
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) {
        throw new Error(`code-server exited (${this.child.exitCode}):\n${this.readLog()}`);
      }
      try {
        const r = await fetch(`http://127.0.0.1:${this.port}/healthz`);
        if (r.ok) return;
      } catch {
        // not yet
      }
      await sleep(250);
    }
    throw new Error(`code-server did not listen on ${this.port} in time:\n${this.readLog()}`);
  }

  readLog(): string {
    try {
      return fs.readFileSync(this.log, 'utf8').slice(-8000);
    } catch {
      return '';
    }
  }

  /** The "Do you trust the authors…" modal: answer per opts.trust. */
  async answerTrustDialog(): Promise<void> {
    const trust = this.opts.trust ?? 'trust';
    if (trust === 'off') return;
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: T.start });
    await this.screenshot(`${this.opts.name}-trust-dialog`);
    const name = trust === 'trust' ? /Yes, I trust the authors/ : /No, I don.t trust the authors/;
    await dialog.getByRole('button', { name }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  async screenshot(name: string): Promise<string> {
    const file = path.join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  // --------------------------------------------------------------------------------------------
  // Workbench helpers

  /** Run a command by its palette title (F1, type, Enter on the exact entry). */
  async runCommand(title: string): Promise<void> {
    const page = this.page;
    const input = page.locator('.quick-input-widget input');
    for (let attempt = 0; ; attempt++) {
      await this.dismissQuickInput();
      await page.locator('.monaco-workbench').press('F1').catch(() => page.keyboard.press('F1'));
      try {
        await input.waitFor({ state: 'visible', timeout: 10_000 });
        break;
      } catch (e) {
        if (attempt >= 2) throw e;
      }
    }
    await input.fill(`>${title}`);
    // The palette lists "Category: Title" labels; pick the row whose label ends with the title.
    const row = page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`(^|: )${escapeRe(title)}$`) }) })
      .first();
    await row.waitFor({ state: 'visible', timeout: T.ui });
    await row.click();
    await input.waitFor({ state: 'hidden', timeout: T.ui }).catch(() => undefined);
  }

  async dismissQuickInput(): Promise<void> {
    const w = this.page.locator('.quick-input-widget');
    if (await w.isVisible().catch(() => false)) {
      await this.page.keyboard.press('Escape');
      await w.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    }
  }

  /** The notifications currently shown (their messages). */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
  }

  /** Open a workspace file in an editor through Quick Open (Ctrl+P). */
  async openFile(rel: string): Promise<void> {
    const page = this.page;
    await this.dismissQuickInput();
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(rel);
    const base = path.basename(rel);
    const row = page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: base }) })
      .first();
    await row.waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await page.locator(`.tab[data-resource-name="${base}"], .tab:has-text("${base}")`).first().waitFor({ state: 'visible' });
    await page.locator('.editor-instance .monaco-editor').first().waitFor({ state: 'visible' });
  }

  /** The tree rows of a view (by its title in the pane header), as text. */
  viewPane(title: string): Locator {
    return this.page.locator('.pane').filter({ has: this.page.locator('.pane-header', { hasText: title }) });
  }

  statusBarItem(name: RegExp | string): Locator {
    return this.page.locator('.statusbar-item').filter({ hasText: name });
  }

  // --------------------------------------------------------------------------------------------
  // Go Setup Doctor's UI

  /** The "Go Setup Doctor" tree view. */
  doctorTree(): Locator {
    return this.page.getByRole('tree', { name: 'Go Setup Doctor' });
  }

  /** The accessible labels of the tree's visible rows ("label description"). */
  async doctorRows(): Promise<string[]> {
    const rows = this.doctorTree().getByRole('treeitem');
    return (await rows.evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? '').trim()))) as string[];
  }

  /** A row of the tree whose accessible label ("label description", as doctorRows) matches. */
  doctorRow(label: RegExp | string): Locator {
    return this.doctorTree().getByRole('treeitem', { name: label }).first();
  }

  /** A row of the tree whose visible text (label and description) contains / matches `text`. */
  doctorRowWithText(text: RegExp | string): Locator {
    return this.doctorTree().getByRole('treeitem').filter({ hasText: text }).first();
  }

  /** The view's message line (the headline: "1 error, 1 warning · 27 checks passed"). */
  async doctorHeadline(): Promise<string> {
    const pane = this.page.locator('.pane-body').filter({ has: this.doctorTree() });
    const msg = pane.locator('.message').first();
    return (await msg.isVisible().catch(() => false)) ? (await msg.innerText()).trim() : '';
  }

  /**
   * Every row of the tree. The list only renders the rows on screen, so the page is made tall
   * for the read. With `expand`, collapsed rows other than findings are expanded first.
   */
  async doctorAllRows(expand = false): Promise<string[]> {
    const size = this.page.viewportSize();
    await this.page.setViewportSize({ width: size?.width ?? 1400, height: 4000 });
    try {
      await this.page.waitForTimeout(300);
      for (let i = 0; expand && i < 60; i++) {
        const collapsed = this.doctorTree().locator('.monaco-list-row[aria-expanded="false"]');
        const labels = await collapsed.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
        const k = labels.findIndex((l) => !/^GSD\d{3} /.test(l.trim()));
        if (k < 0) break;
        await collapsed.nth(k).locator('.monaco-tl-twistie').click();
        await this.page.waitForTimeout(100);
      }
      return await this.doctorRows();
    } finally {
      if (size) await this.page.setViewportSize(size);
    }
  }

  /** Expand a collapsed row (no-op when expanded). */
  async expandRow(label: RegExp | string): Promise<void> {
    const row = this.doctorRow(label);
    await row.waitFor({ state: 'visible' });
    if ((await row.getAttribute('aria-expanded')) === 'false') {
      await row.click();
      await this.page.keyboard.press('ArrowRight');
      await eventually(async () => (await row.getAttribute('aria-expanded')) === 'true', `${label} expanded`, 5_000, 200).catch(
        async () => {
          await row.locator('.monaco-tl-twistie').click();
        },
      );
    }
  }

  /** Go Setup Doctor's status bar item. */
  doctorStatus(): Locator {
    return this.page.locator('[id="go-setup-doctor.go-setup-doctor.goSetupDoctor.status"]');
  }

  /** Show the Problems panel (Ctrl+Shift+M toggles it, so the command if it stays hidden). */
  async openProblems(): Promise<Locator> {
    await this.page.keyboard.press('Control+Shift+M');
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible().catch(() => false))) await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    await panel.waitFor({ state: 'visible' });
    return panel;
  }

  /** Put the cursor of the active editor at `line`:`col` (Ctrl+G) and wait until the status bar says so. */
  async goTo(line: number, col: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    await this.page.locator('.quick-input-widget input').fill(`:${line}:${col}`);
    await this.page.keyboard.press('Enter');
    await this.statusBarItem(new RegExp(`Ln ${line}, Col ${col}\\b`)).waitFor();
  }

  /** Rows of the Problems panel: [visible text, accessible label]. */
  async problemRows(): Promise<{ text: string; label: string }[]> {
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    return rows.evaluateAll((els) =>
      els.map((e) => ({ text: (e as any).innerText, label: e.getAttribute('aria-label') ?? '' })),
    );
  }

  /** Replace the whole text of the active editor by typing (select all, type), then save. */
  async replaceEditorText(text: string, save = true): Promise<void> {
    const content = this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await content.click();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(text);
    if (save) {
      await this.page.keyboard.press('Control+S');
      await this.page.locator('.tab.active.dirty').waitFor({ state: 'hidden' });
    }
  }

  /** The text of the visible lines of the active editor. */
  async editorText(): Promise<string> {
    const lines = this.page.locator('.editor-group-container.active .monaco-editor .view-lines .view-line');
    const all = await lines.evaluateAll((els) =>
      els
        .map((e) => ({ top: parseFloat((e as any).style.top || '0'), text: (e as any).innerText }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text.replace(/\u00a0/g, ' ')),
    );
    return all.join('\n');
  }

  /** What the page's clipboard holds (the extension writes reports there). */
  async clipboardText(): Promise<string> {
    return this.page.evaluate(() => (globalThis as any).navigator.clipboard.readText() as Promise<string>);
  }

  // --------------------------------------------------------------------------------------------

  /**
   * Stop Chromium, the code-server process group, and anything else tagged with this session.
   * Returns what had to be killed by the final sweep (normally empty). Never throws.
   */
  async close(): Promise<{ swept: { pid: number; cmd: string }[]; survivors: { pid: number; cmd: string }[] }> {
    if (this.closed) return { swept: [], survivors: taggedProcesses(this.tag) };
    this.closed = true;
    try {
      await Promise.race([this.context?.close(), sleep(15_000)]);
    } catch {
      // the browser may already be gone
    }
    const child = this.child;
    if (child?.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      if (!(await exited(child, 10_000))) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
        await exited(child, 5_000);
      }
    }
    // Children that left the group (or a browser the context failed to close): kill by tag.
    let swept: { pid: number; cmd: string }[] = [];
    for (let i = 0; i < 20; i++) {
      const left = taggedProcesses(this.tag);
      if (left.length === 0) break;
      if (i === 0) swept = left;
      for (const p of left) {
        try {
          process.kill(p.pid, i < 5 ? 'SIGTERM' : 'SIGKILL');
        } catch {
          // gone
        }
      }
      await sleep(250);
    }
    const survivors = taggedProcesses(this.tag);
    if (survivors.length === 0 && !this.keep) {
      fs.rmSync(this.tmp, { recursive: true, force: true });
    }
    return { swept, survivors };
  }
}

let standIn: string | undefined;

/** A VSIX of an empty extension with the Go extension's id (golang.go), built once per process. */
export function goExtensionStandIn(): string {
  if (standIn && fs.existsSync(standIn)) return standIn;
  const dir = tempDir('golang-go-standin');
  writeTree(dir, {
    'package.json': JSON.stringify(
      {
        name: 'go',
        displayName: 'Go (e2e stand-in)',
        description: 'Stand-in for the Go extension in end-to-end tests: same id, no code.',
        publisher: 'golang',
        version: '0.46.1',
        license: 'MIT',
        engines: { vscode: '^1.75.0' },
        capabilities: { untrustedWorkspaces: { supported: 'limited' } },
      },
      null,
      2,
    ),
    'README.md': '# Go (e2e stand-in)\n',
    'LICENSE': 'MIT\n',
  });
  const out = path.join(dir, 'golang.go-standin.vsix');
  const vsce = path.join(ROOT, 'node_modules/.bin/vsce');
  const r = spawnSync(vsce, ['package', '--allow-missing-repository', '--skip-license', '-o', out], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0 || !fs.existsSync(out)) throw new Error(`building the golang.go stand-in failed:\n${r.stdout}\n${r.stderr}`);
  standIn = out;
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return out;
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Start a session; on a start failure, everything it began is stopped before the error is thrown. */
export async function openVsCode(opts: SessionOptions): Promise<VsCode> {
  const vs = new VsCode(opts);
  try {
    return await vs.start();
  } catch (e) {
    if (vs.context && vs.page) await vs.screenshot(`${opts.name}-start-failure`).catch(() => undefined);
    const log = vs.readLog();
    await vs.close();
    throw new Error(`${(e as Error).message}\n--- code-server log ---\n${log}`);
  }
}

/**
 * Run one flow step; on failure save a screenshot (`<name>-FAILED.png`), keep the session's temp
 * dir (code-server and extension host logs) and say where both are.
 */
export async function step<V>(vs: VsCode | undefined, name: string, fn: () => Promise<V>): Promise<V> {
  try {
    return await fn();
  } catch (e) {
    if (vs?.page) {
      const shot = await vs.screenshot(`${name}-FAILED`).catch(() => undefined);
      vs.keep = true;
      const err = e as Error;
      err.message += `\n(screenshot: ${shot ?? 'none'}; logs kept in ${vs.tmp}/user-data/logs and ${vs.log})`;
    }
    throw e;
  }
}

/** Processes still tagged by sessions of this test process (should be none after close). */
export function leftoversOfThisProcess(): { pid: number; cmd: string }[] {
  return anyTaggedProcesses().filter((p) => {
    try {
      return fs.readFileSync(`/proc/${p.pid}/environ`, 'latin1').includes(`-${process.pid}-`);
    } catch {
      return false;
    }
  });
}

/** Poll `fn` until it returns a truthy value (or throw the last error / a timeout). */
export async function eventually<V>(
  fn: () => Promise<V | undefined | null | false> | V | undefined | null | false,
  what: string,
  timeout = T.ui,
  every = 500,
): Promise<V> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as V;
      last = undefined;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    }
    await sleep(every);
  }
}

// ------------------------------------------------------------------------------------------------
// The Go toolchains installed by scripts/install-go-toolchains.sh

interface Manifest {
  go: { version: string; bin: string }[];
  gopls: { version: string; path: string; goVersion: string }[];
  dlv?: { version: string; path: string; goVersion: string }[];
}

function manifest(): Manifest {
  const file = path.join(ROOT, '.cache/toolchains/manifest.json');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing (run scripts/install-go-toolchains.sh)`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
}

function versionKey(v: string): number[] {
  return v.replace(/^go|^v/, '').split('.').map((x) => Number.parseInt(x, 10) || 0);
}

function newest<T>(items: T[], version: (t: T) => string): T | undefined {
  const cmp = (a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1] || (a[2] ?? 0) - (b[2] ?? 0);
  return [...items].sort((a, b) => cmp(versionKey(version(b)), versionKey(version(a))))[0];
}

/**
 * The newest Go toolchain's bin dir, the newest gopls and dlv (what a current, healthy setup uses:
 * Debian's /usr/bin/dlv is too old to debug a current Go).
 */
export function currentGo(): { bin: string; version: string; gopls: string; dlv?: string } {
  const m = manifest();
  const go = newest(m.go.filter((g) => fs.existsSync(g.bin)), (g) => g.version);
  const gopls = newest(m.gopls.filter((g) => fs.existsSync(g.path)), (g) => g.version);
  const dlv = newest((m.dlv ?? []).filter((g) => fs.existsSync(g.path)), (g) => g.version);
  if (!go || !gopls) throw new Error('no Go toolchain / gopls in .cache/toolchains (run scripts/install-go-toolchains.sh)');
  return { bin: path.dirname(go.bin), version: go.version, gopls: gopls.path, dlv: dlv?.path };
}
