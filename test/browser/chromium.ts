// Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe): no
// port, no network, only the file:// pages the test writes. Debian's `chromium` package.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { describe, it } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';

export function chromiumUnavailableReason(): string | null {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)`;
}

/** `describe` that skips with the reason where Chromium is missing, and fails instead under CI=true. */
export function browserDescribe(name: string, fn: () => void): void {
  const reason = chromiumUnavailableReason();
  if (reason === null) describe(name, fn);
  else if (process.env.CI === 'true') {
    describe(name, () => {
      it('can run headless Chromium', () => {
        throw new Error(`${reason} (CI=true: the browser test must run)`);
      });
    });
  } else {
    console.warn(`skipping browser test '${name}': ${reason}`);
    describe.skip(name, fn);
  }
}

type Json = Record<string, unknown>;
interface Pending {
  resolve: (v: Json) => void;
  reject: (e: Error) => void;
}

export class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners: ((method: string, params: Json, sessionId?: string) => void)[] = [];
  private buffer = '';

  private constructor(
    private readonly proc: ChildProcess,
    private readonly profile: string,
    private readonly input: Writable,
  ) {
    const output = proc.stdio[4] as Readable;
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\0')) >= 0) {
        const msg = JSON.parse(this.buffer.slice(0, end)) as { id?: number; result?: Json; error?: { message: string }; method?: string; params?: Json; sessionId?: string };
        this.buffer = this.buffer.slice(end + 1);
        if (msg.id !== undefined) {
          const p = this.pending.get(msg.id);
          this.pending.delete(msg.id);
          if (msg.error) p?.reject(new Error(msg.error.message));
          else p?.resolve(msg.result ?? {});
        } else if (msg.method) for (const l of this.listeners) l(msg.method, msg.params ?? {}, msg.sessionId);
      }
    });
  }

  static launch(): Browser {
    const profile = mkdtempSync(join(tmpdir(), 'charger-diag-chromium-'));
    const proc = spawn(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-gpu',
        '--no-first-run',
        '--hide-scrollbars',
        '--remote-debugging-pipe',
        `--user-data-dir=${profile}`,
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    return new Browser(proc, profile, proc.stdio[3] as Writable);
  }

  send(method: string, params: Json = {}, sessionId?: string): Promise<Json> {
    const id = this.nextId++;
    this.input.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  on(listener: (method: string, params: Json, sessionId?: string) => void): void {
    this.listeners.push(listener);
  }

  /** A new page (tab) with the domains the test needs enabled. */
  async page(): Promise<Page> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const page = new Page(this, sessionId);
    await page.send('Page.enable');
    await page.send('Runtime.enable');
    await page.send('Debugger.enable');
    return page;
  }

  async close(): Promise<void> {
    await this.send('Browser.close').catch(() => undefined);
    await new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) resolve();
      else this.proc.once('exit', () => resolve());
      setTimeout(() => {
        this.proc.kill('SIGKILL');
        resolve();
      }, 5000).unref();
    });
    rmSync(this.profile, { recursive: true, force: true });
  }
}

export class Page {
  /** scripts the page itself parsed (not our evaluations): their URLs */
  readonly scripts: string[] = [];
  constructor(
    private readonly browser: Browser,
    readonly sessionId: string,
  ) {
    browser.on((method, params, sid) => {
      if (sid === sessionId && method === 'Debugger.scriptParsed' && typeof params.url === 'string' && params.url !== '') this.scripts.push(params.url);
    });
  }

  send(method: string, params: Json = {}): Promise<Json> {
    return this.browser.send(method, params, this.sessionId);
  }

  async open(url: string, width: number, media: 'screen' | 'print' = 'screen'): Promise<void> {
    await this.send('Emulation.setDeviceMetricsOverride', { width, height: 900, deviceScaleFactor: 1, mobile: false });
    await this.send('Emulation.setEmulatedMedia', { media });
    const loaded = new Promise<void>((resolve) =>
      this.browser.on((method, _p, sid) => {
        if (sid === this.sessionId && method === 'Page.loadEventFired') resolve();
      }),
    );
    await this.send('Page.navigate', { url });
    await loaded;
  }

  async view(width: number, media: 'screen' | 'print'): Promise<void> {
    await this.send('Emulation.setDeviceMetricsOverride', { width, height: 900, deviceScaleFactor: 1, mobile: false });
    await this.send('Emulation.setEmulatedMedia', { media });
  }

  async evaluate<T>(expression: string): Promise<T> {
    const r = (await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as { result: { value: T }; exceptionDetails?: { text: string; exception?: { description?: string } } };
    if (r.exceptionDetails) throw new Error(`${r.exceptionDetails.text} ${r.exceptionDetails.exception?.description ?? ''}`);
    return r.result.value;
  }

  /** A PNG of one element (the first matching `selector`), or null when there is none. */
  async screenshotOf(selector: string): Promise<Buffer | null> {
    const r = await this.evaluate<{ x: number; y: number; width: number; height: number } | null>(
      `(() => { const e = document.querySelector(${JSON.stringify(selector)}); if (!e) return null; const r = e.getBoundingClientRect(); return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height }; })()`,
    );
    if (!r) return null;
    const { data } = (await this.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip: { ...r, scale: 1 } })) as { data: string };
    return Buffer.from(data, 'base64');
  }

  /** A PNG of the page from the top, at most `maxHeight` CSS pixels tall. */
  async screenshot(maxHeight = 3000): Promise<Buffer> {
    const { width, height } = await this.evaluate<{ width: number; height: number }>('({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight })');
    const { data } = (await this.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width, height: Math.min(height, maxHeight), scale: 1 } })) as { data: string };
    return Buffer.from(data, 'base64');
  }
}
