// The dashboard's browser tests' set-up: a PostgreSQL schema of their own
// seeded with `waymark demo`, tokens for each role, `waymark serve` on a
// free port, and Debian's chromium under playwright-core.
//
// Environment: WAYMARK_BIN (the binary), WAYMARK_TEST_PG (a libpq
// connection string for the test cluster), SCREENSHOT_DIR (where pictures
// go; default build/screenshots beside the binary).

import { execFileSync, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

export const BIN = process.env.WAYMARK_BIN;
const BASE_PG = process.env.WAYMARK_TEST_PG;
export const SCREENSHOTS =
  process.env.SCREENSHOT_DIR ||
  (BIN ? path.join(path.dirname(BIN), "screenshots") : path.join(os.tmpdir(), "waymark-screenshots"));

function needEnvironment() {
  if (!BIN || !BASE_PG) throw new Error("set WAYMARK_BIN and WAYMARK_TEST_PG");
}

export function psql(sql) {
  needEnvironment();
  execFileSync("psql", [BASE_PG, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], { stdio: "pipe" });
}

// A programme of its own: schema, migrations, the demo, tokens.
export function seed(schema) {
  psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  const pg = `${BASE_PG} options='-c search_path=${schema}'`;
  const waymark = (...args) =>
    execFileSync(BIN, args, { env: { ...process.env, WAYMARK_PG: pg }, encoding: "utf8" });
  waymark("migrate");
  waymark("demo", "--seed", "7");
  const token = (...args) =>
    JSON.parse(waymark("token", "create", "--format", "json", ...args)).token;
  const tokens = {
    admin: token("--role", "admin", "--name", "ada"),
    olivia: token("--role", "officer", "--name", "olivia"),
    oscar: token("--role", "officer", "--name", "oscar"),
    fife: token("--role", "network", "--name", "fife-coordinator", "--network", "fife"),
    tayside: token("--role", "network", "--name", "tayside-coordinator", "--network", "tayside"),
    auditor: token("--role", "auditor", "--name", "audrey"),
  };
  return { pg, waymark, tokens };
}

// `waymark serve` on a free port; resolves to {url, stop}.
export function serve(pg) {
  needEnvironment();
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ["serve", "--listen", "127.0.0.1:0"], {
      env: { ...process.env, WAYMARK_PG: pg },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const timer = setTimeout(() => reject(new Error("serve did not start: " + out)), 30000);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          stop: () =>
            new Promise((done) => {
              child.once("exit", done);
              child.kill("SIGTERM");
            }),
        });
      }
    });
    child.stderr.on("data", () => {});  // request log lines
    child.once("exit", (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

// Until `check` resolves truthy, or `ms` pass (then throws naming `what`).
export async function waitFor(what, check, ms = 15000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function launch() {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

// A signed-in page: a context of its own (its own cookies), signed in by the form.
export async function signIn(browser, url, token) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.dialogs = [];  // a dialog would mean a script ran from data
  page.on("dialog", (d) => {
    page.dialogs.push(d.message());
    d.dismiss();
  });
  await page.goto(url + "/signin");
  await page.fill("#token", token);
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  return { context, page };
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(SCREENSHOTS, name + ".png"), fullPage: true });
}
