#!/usr/bin/env node
// Signs in on the M365 sandbox's browser sign-in pages as a person would, in headless Debian Chromium driven by
// playwright-core: opens the authorize URL (the last argument), types the account and password, accepts (or declines)
// consent, and waits until the browser has delivered the answer to the loopback redirect URI and the listener there
// answered. Usable as the module's $BROWSER command (the URL is the last argument; nobody waits for it). The URL may
// be on the sandbox's origin (https://127.0.0.1:<port>/…) or on login.microsoftonline.com, which Chromium then
// resolves to the sandbox.
//
//   node tests/node/browser-signin.mjs <authorize url>
//
// Environment:
//   M365_SANDBOX              the sandbox's sandbox.json: its certificateSpkiSha256 is the one certificate Chromium trusts
//   M365_BROWSER_ACCOUNT      account to type (default: what the page pre-filled from login_hint)
//   M365_BROWSER_PASSWORD     password to type when the page asks for one
//   M365_BROWSER_ACTION       signin (default), cancel (Cancel on the sign-in page) or decline (Cancel on the consent page)
//   M365_BROWSER_SCREENSHOTS  folder for a PNG of each page (and browser-signin.log)
//   M365_BROWSER_TIMEOUT      seconds until it gives up (default 60)
//   M365_BROWSER_EXECUTABLE   the browser (default /usr/bin/chromium)
// Exit: 0 once the redirect URI's listener answered; 1 on a sign-in failure (error page, refused password, listener
// unreachable); 2 on a usage or setup problem; 3 on timeout. Neither the password nor the code is ever printed.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const LoginHosts = ['login.microsoftonline.com'];
const started = Date.now();
const timeoutMs = Math.max(5, Number(process.env.M365_BROWSER_TIMEOUT || 60)) * 1000;
const shots = process.env.M365_BROWSER_SCREENSHOTS || '';
const action = (process.env.M365_BROWSER_ACTION || 'signin').toLowerCase();
let logFile = null;
if (shots) {
  fs.mkdirSync(shots, { recursive: true });
  logFile = path.join(shots, 'browser-signin.log');
}

function log(message) {
  const line = `[browser-signin ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`;
  console.error(line);
  if (logFile) fs.appendFileSync(logFile, line + '\n');
}

class Failure extends Error {
  constructor(message, code = 1) { super(message); this.exitCode = code; }
}

const remaining = () => Math.max(1, timeoutMs - (Date.now() - started));

function readArguments() {
  const url = process.argv[process.argv.length - 1];
  if (process.argv.length < 3 || !/^https?:\/\//i.test(url)) {
    throw new Failure('usage: browser-signin.mjs <authorize url>', 2);
  }
  if (!['signin', 'cancel', 'decline'].includes(action)) {
    throw new Failure(`M365_BROWSER_ACTION must be signin, cancel or decline, not '${action}'`, 2);
  }
  const descriptorPath = process.env.M365_SANDBOX;
  if (!descriptorPath) throw new Failure('M365_SANDBOX is not set: point it at the sandbox.json of the sandbox to trust', 2);
  let descriptor;
  try {
    descriptor = JSON.parse(fs.readFileSync(descriptorPath, 'utf8'));
  } catch (e) {
    throw new Failure(`cannot read the sandbox descriptor '${descriptorPath}': ${e.message}`, 2);
  }
  if (!descriptor.certificateSpkiSha256) {
    throw new Failure(`'${descriptorPath}' has no certificateSpkiSha256: restart the sandbox with a current build`, 2);
  }
  const redirect = new URL(url).searchParams.get('redirect_uri');
  if (!redirect) throw new Failure('the authorize URL has no redirect_uri', 2);
  return { url, pin: descriptor.certificateSpkiSha256, sandbox: new URL(descriptor.url), redirect: new URL(redirect) };
}

// The listener's address without query or fragment: the answer (form_post or redirect) goes there.
function isRedirectTarget(candidate, redirect) {
  let u;
  try { u = new URL(candidate); } catch { return false; }
  return u.protocol === redirect.protocol && u.hostname === redirect.hostname && u.port === redirect.port && u.pathname === redirect.pathname;
}

async function screenshot(page, index, name) {
  if (!shots) return;
  const file = path.join(shots, `${String(index).padStart(2, '0')}-${name}.png`);
  try {
    await page.screenshot({ path: file, fullPage: true, timeout: 10_000 });
    log(`screenshot ${file}`);
  } catch (e) {
    log(`no screenshot of the ${name} page: ${e.message}`);
  }
}

// Clicks and waits until the next document commits, so the old page's elements are not mistaken for the next page's.
async function submit(page, selector) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'commit', timeout: remaining() }), page.click(selector)]);
}

async function run({ url, pin, sandbox, redirect }) {
  const executablePath = process.env.M365_BROWSER_EXECUTABLE || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Failure(`no browser at ${executablePath}: run tests/node/ensure-browser.sh (installs Debian's chromium)`, 2);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'm365-browser-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    timeout: remaining(),
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-proxy-server',
      // Trust the sandbox's certificate by its key pin only, never every certificate.
      `--ignore-certificate-errors-spki-list=${pin}`,
      // An authorize URL on the real login host (a client that was not pointed at the sandbox's origin) reaches the
      // sandbox too, under its real name, as the module's own HTTP traffic does.
      `--host-resolver-rules=${LoginHosts.map((h) => `MAP ${h} ${sandbox.hostname}:${sandbox.port}`).join(', ')}`,
    ],
  });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    const answered = new Promise((resolve, reject) => {
      page.on('response', (r) => { if (isRedirectTarget(r.url(), redirect)) resolve(r); });
      page.on('requestfailed', (r) => {
        if (isRedirectTarget(r.url(), redirect)) {
          reject(new Failure(`the browser could not deliver the answer to ${redirect.origin}${redirect.pathname}: ${r.failure()?.errorText}`));
        }
      });
    });
    answered.catch(() => {});
    log(`opening ${new URL(url).origin}${new URL(url).pathname}`);
    await page.goto(url, { waitUntil: 'commit', timeout: remaining() });

    let index = 0;
    let signInsSubmitted = 0;
    for (;;) {
      const next = await Promise.race([
        answered.then((r) => ({ kind: 'answered', response: r })),
        page.waitForSelector('#account, #accept, #aadsts-error', { state: 'attached', timeout: remaining() })
          .then(() => ({ kind: 'page' }))
          .catch((e) => ({ kind: 'timeout', error: e })),
      ]);
      if (next.kind === 'answered') {
        await next.response.finished().catch(() => {});
        log(`the listener at ${redirect.origin}${redirect.pathname} answered ${next.response.status()} to ${next.response.request().method()}`);
        await page.waitForLoadState('load', { timeout: 5_000 }).catch(() => {});
        await screenshot(page, ++index, 'redirect');
        return;
      }
      if (next.kind === 'timeout') {
        throw new Failure(`timed out after ${timeoutMs / 1000} s at ${page.url().split('?')[0]}`, 3);
      }

      const kind = await page.evaluate(() =>
        document.querySelector('#aadsts-error') ? 'error' : document.querySelector('#accept') ? 'consent' : 'signin');
      if (kind === 'error') {
        await screenshot(page, ++index, 'error');
        throw new Failure(`the sign-in page shows an error: ${(await page.textContent('#error-message'))?.trim()}`);
      }

      if (kind === 'consent') {
        await screenshot(page, ++index, 'consent');
        log(action === 'decline' ? 'declining consent' : 'accepting consent');
        await submit(page, action === 'decline' ? '#decline' : '#accept');
        continue;
      }

      await screenshot(page, ++index, 'signin');
      if (signInsSubmitted > 0) {
        const refused = await page.$('#signin-error');
        throw new Failure(`the sign-in was refused: ${refused ? (await refused.textContent()).trim() : 'the sign-in page came back'}`);
      }
      if (action === 'cancel') {
        log('cancelling the sign-in');
        await submit(page, '#cancel');
        continue;
      }
      if (process.env.M365_BROWSER_ACCOUNT) await page.fill('#account', process.env.M365_BROWSER_ACCOUNT);
      const password = process.env.M365_BROWSER_PASSWORD;
      if (!password) throw new Failure('the page asks for a password and M365_BROWSER_PASSWORD is not set', 2);
      await page.fill('#password', password);
      log(`signing in as ${await page.inputValue('#account')}`);
      signInsSubmitted++;
      await submit(page, '#signin');
    }
  } finally {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

const watchdog = setTimeout(() => { log(`gave up after ${timeoutMs / 1000 + 15} s`); process.exit(3); }, timeoutMs + 15_000);
watchdog.unref();
try {
  await run(readArguments());
  log('done');
  process.exitCode = 0;
} catch (e) {
  log(`FAILED: ${e.message}`);
  process.exitCode = e instanceof Failure ? e.exitCode : 1;
}
