// The main job's first page as a newcomer opens it: the URL and an officer's
// token that `ops/start` printed; signs in, and checks the caseload shows the
// demo programme. Usage: node start_page.mjs URL TOKEN
import assert from "node:assert/strict";
import { launch, shot, signIn } from "./harness.mjs";

const [url, token] = process.argv.slice(2);
const browser = await launch();
try {
  const { page } = await signIn(browser, url, token);
  assert.equal(new URL(page.url()).pathname, "/");
  assert.equal(await page.locator("h1").innerText(), "Your caseload");
  const networks = await page.locator("a[href^='/networks/']").count();
  assert.ok(networks >= 1, "the officer's networks are listed");
  assert.ok(await page.locator("#queue tr").count() > 1, "the queue holds milestones");
  await shot(page, "start-caseload");
  console.log(`start page: signed in, ${networks} network links, queue shown`);
} finally {
  await browser.close();
}
