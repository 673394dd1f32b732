// The web dashboard in a real browser (Debian's chromium, driven by
// playwright-core) against `waymark serve` on PostgreSQL, seeded with the
// demo programme. Each role's path through the evidence flow, live updates,
// the auditor's history, diff and as-of views, accessibility (axe-core on
// every page), the flow by keyboard alone, and the security promises:
// cookie flags, forms refused without their token, escaping, CSP.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { launch, seed, serve, shot, signIn, waitFor } from "./harness.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

let programme, server, browser;
let verifiedStream;  // the milestone the evidence test takes through to achieved
const pagesChecked = [];

before(async () => {
  programme = seed(`browser_e2e_${process.pid}`);
  // A network whose name and region are markup: they must show as text.
  programme.waymark(
    "command", "network-xss", "RegisterNetwork", "--actor", "ada", "--role", "admin", "--data",
    JSON.stringify({ name: "<script>alert(1)</script>", region: "<img src=x onerror=alert(2)>" }));
  server = await serve(programme.pg);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// The API, as one role sees it (to find the demo's milestones and check state).
async function api(token, path, init = {}) {
  const r = await fetch(server.url + path, {
    ...init,
    headers: { authorization: "Bearer " + token, ...(init.headers || {}) },
  });
  return { status: r.status, body: await r.json() };
}

async function milestonesOf(network, status) {
  const r = await api(programme.tokens[network], `/api/v1/milestones?network=${network}&status=${status}`);
  assert.equal(r.status, 200);
  return r.body.items;
}

async function streamVersion(stream) {
  return (await api(programme.tokens.admin, `/api/v1/streams/${stream}`)).body.version;
}

// What an officer's or a network's page must never show: the engine's ids
// (stream names, record ids, hex), event and command names, snake_case.
const ENGINE_WORDS = [
  [/\b(?:network|assessment|plan|milestone|step)-[a-z0-9][a-z0-9_-]*/, "a stream name"],
  [/\b[a-z]+(?:-[a-z0-9]+)*-(?:round)?\d+\b/, "a record id"],
  [/\b[0-9a-f]{16,}\b/, "a hex id"],
  [/\b[a-z]+_[a-z0-9_]+\b/, "snake_case"],
  [/\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b/, "an event or command name"],
];

async function checkWords(page, name) {
  const text = await page.evaluate(() => document.body.innerText);
  for (const [pattern, what] of ENGINE_WORDS) {
    const found = text.match(pattern);
    assert.equal(found, null, `${name} shows ${what}: "${found?.[0]}" in …${
      found ? text.slice(Math.max(0, found.index - 60), found.index + 60) : ""}…`);
  }
}

async function axe(page, name) {
  const result = await page.evaluate(`${AXE};axe.run(document, {resultTypes: ["violations"]})`);
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`),
    [], `accessibility violations on ${name}`);
}

// axe-core on the page as it stands, at 1366 and at 390 px wide: no serious
// or critical violation; at 390 nothing scrolls sideways and no text is
// under 12 px. `people`: a page officers and networks use, so in their words.
async function checkAccessible(page, name, { people = true } = {}) {
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 1366, height: 900 });
  await axe(page, name);
  if (people) await checkWords(page, name);
  await shot(page, name);
  await page.setViewportSize({ width: 390, height: 844 });
  await waitFor(`${name} to fit 390 px`, async () => page.evaluate(
    () => document.documentElement.scrollWidth <= window.innerWidth));
  const small = await page.evaluate(() => Array.from(document.querySelectorAll("main *"))
    .filter((e) => e.childNodes.length && Array.from(e.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim()))
    .filter((e) => e.getClientRects().length && parseFloat(getComputedStyle(e).fontSize) < 12)
    .map((e) => e.tagName + ": " + e.textContent.trim().slice(0, 30)));
  assert.deepEqual(small, [], `text under 12 px on ${name} at 390 px`);
  await axe(page, name + " at 390 px");
  await shot(page, name + "-390");
  await page.setViewportSize(viewport);
  pagesChecked.push(name);
}

// A form that asks to confirm: the "Yes, ..." button on the page it leads to.
async function confirm(page) {
  assert.match(await page.locator("h1").innerText(), /\?$/);
  assert.match(await page.locator("main").innerText(), /cannot undo this yourself/);
  await Promise.all([page.waitForNavigation(), page.locator("button", { hasText: /^Yes, / }).click()]);
}

const statusOn = (page) => page.locator("p.sub .status").first().innerText();

test("a network sees only its own network and milestones", async () => {
  const { context, page } = await signIn(browser, server.url, programme.tokens.fife);
  assert.match(page.url(), /\/networks\/fife$/);
  assert.match(await page.locator("h1").innerText(), /Fife/);
  await checkAccessible(page, "network-fife");
  // No caseload to offer it; the home page is its own network.
  assert.equal(await page.locator("nav >> text=Caseload").count(), 0);
  await page.goto(server.url + "/");
  assert.match(page.url(), /\/networks\/fife$/);
  // Another network's pages answer as if they were not there.
  for (const path of ["/networks/tayside", "/streams/milestone-tayside-1",
                      "/streams/milestone-tayside-1/history", "/streams/plan-tayside-round1"]) {
    const response = await page.goto(server.url + path);
    assert.equal(response.status(), 404, path);
    assert.doesNotMatch(await page.content(), /Tayside Social Enterprise/);
  }
  // Every milestone linked from its page is its own.
  await page.goto(server.url + "/networks/fife");
  const links = await page.locator("a[href^='/streams/milestone-']").evaluateAll(
    (as) => as.map((a) => a.getAttribute("href")));
  assert.ok(links.length >= 3);
  for (const href of links) assert.match(href, /milestone-fife-/);
  await context.close();
});

test("evidence: the network submits, the officer sees it live and verifies, the network sees it live", async () => {
  const [target] = await milestonesOf("fife", "in_progress");
  assert.ok(target, "the demo has a milestone in progress for fife");
  const stream = "milestone-" + target.milestone_id;
  verifiedStream = stream;

  const officer = await signIn(browser, server.url, programme.tokens.olivia);
  await checkAccessible(officer.page, "caseload-officer");
  await officer.page.evaluate(() => { window.notReloaded = true; });
  const row = officer.page.locator(`#queue tr:has(a[href='/streams/${stream}'])`);
  assert.match(await row.innerText(), /In progress/);

  const network = await signIn(browser, server.url, programme.tokens.fife);
  await network.page.goto(server.url + "/streams/" + stream);
  await network.page.locator("summary", { hasText: "Submit evidence" }).click();
  const form = network.page.locator("form:has(input[name=_type][value=SubmitEvidence])");
  await form.locator("textarea[name=summary]").fill("Newsletter sent to all 32 members on 1 December");
  await form.locator("textarea[name=links]").fill("https://example.org/newsletter-december");
  await Promise.all([network.page.waitForNavigation(), form.locator("button[type=submit]").click()]);
  await checkAccessible(network.page, "confirm-evidence");
  assert.match(await network.page.locator("main").innerText(), /Newsletter sent to all 32 members/);
  await confirm(network.page);
  assert.match(await network.page.locator(".banner.done").innerText(), /Submit evidence/);
  assert.equal(await statusOn(network.page), "Awaiting verification");
  await checkAccessible(network.page, "milestone-evidence-submitted");

  // The officer's queue changes without a reload.
  await waitFor("the officer's queue to show the evidence", async () =>
    /Awaiting verification/.test(await row.innerText()));
  assert.equal(await officer.page.evaluate(() => window.notReloaded), true);
  await shot(officer.page, "caseload-live-update");

  // The officer verifies; the network's open page changes without a reload.
  await network.page.evaluate(() => { window.notReloaded = true; });
  await Promise.all([officer.page.waitForNavigation(), row.locator("a").first().click()]);
  const verify = officer.page.locator("button", { hasText: "Verify milestone" });
  assert.equal(await verify.count(), 1);
  await Promise.all([officer.page.waitForNavigation(), verify.click()]);
  await confirm(officer.page);
  assert.equal(await statusOn(officer.page), "Achieved");
  await waitFor("the network's page to show the milestone achieved", async () =>
    (await statusOn(network.page)) === "Achieved");
  assert.equal(await network.page.evaluate(() => window.notReloaded), true);
  await shot(network.page, "milestone-achieved-live");
  await officer.context.close();
  await network.context.close();
});

test("an officer who submitted the evidence is not offered to verify it", async () => {
  const [target] = await milestonesOf("fife", "at_risk");
  assert.ok(target, "the demo has a milestone at risk for fife");
  const stream = "milestone-" + target.milestone_id;
  const { context, page } = await signIn(browser, server.url, programme.tokens.olivia);
  await page.goto(server.url + "/streams/" + stream);
  await page.locator("summary", { hasText: "Submit evidence" }).click();
  const form = page.locator("form:has(input[name=_type][value=SubmitEvidence])");
  await form.locator("textarea[name=summary]").fill("Bid submitted to the council on the officer's behalf");
  await Promise.all([page.waitForNavigation(), form.locator("button[type=submit]").click()]);
  await confirm(page);
  assert.equal(await statusOn(page), "Awaiting verification");
  assert.equal(await page.locator("button", { hasText: "Verify milestone" }).count(), 0);
  assert.match(await page.locator("main").innerText(), /Verify milestone is not offered: .*olivia submitted this evidence/);
  // Rejecting it is still hers to do, and another officer may verify.
  assert.equal(await page.locator("summary", { hasText: "Reject evidence" }).count(), 1);
  await shot(page, "milestone-four-eyes");
  await context.close();
  const oscar = await signIn(browser, server.url, programme.tokens.oscar);
  await oscar.page.goto(server.url + "/streams/" + stream);
  assert.equal(await oscar.page.locator("button", { hasText: "Verify milestone" }).count(), 1);
  await oscar.context.close();
});

test("an auditor reads the history, the diff and the network as it stood before the evidence", async () => {
  assert.ok(verifiedStream, "the evidence test ran first");
  const stream = verifiedStream;
  const { context, page } = await signIn(browser, server.url, programme.tokens.auditor);
  await checkAccessible(page, "caseload-auditor");
  await page.goto(server.url + `/streams/${stream}/history`);
  assert.match(await page.locator("main").innerText(), /Hash chain intact/);
  await checkAccessible(page, "history", { people: false });
  // Newest first: the submission the officer verified.
  const submitted = page.locator("ol.events li", { hasText: "Evidence submitted" }).first();
  await Promise.all([page.waitForNavigation(), submitted.locator("a", { hasText: "what this changed" }).click()]);
  const diff = await page.locator("section:has(#diff-h)").innerText();
  assert.match(diff, /In progress → Evidence submitted/);
  assert.match(diff, /evidence_summary/);
  assert.match(diff, /Newsletter sent to all 32 members/);
  assert.match(diff, /fife-coordinator \(network\)/);
  await checkAccessible(page, "history-diff", { people: false });

  await Promise.all([
    page.waitForNavigation(),
    page.locator("ol.events li", { hasText: "Evidence submitted" }).first()
      .locator("a", { hasText: "network just before" }).click(),
  ]);
  assert.match(await page.locator(".banner.asof").innerText(), /As of \d+ \w+ \d{4}, \d\d:\d\d (GMT|BST)/);
  await page.locator(".banner.asof summary", { hasText: "For auditors" }).click();
  assert.match(await page.locator(".banner.asof").innerText(), /UTC, .* at position \d+/);
  const before = page.locator(`tr:has(a[href='/streams/${stream}'])`).first();
  assert.match(await before.innerText(), /In progress/);
  assert.equal(await page.locator("form[action='/commands']").count(), 0, "nothing to do in the past");
  await checkAccessible(page, "network-as-of");
  // Now, the same milestone is achieved.
  await page.goto(server.url + "/networks/fife");
  assert.match(await page.locator(`tr:has(a[href='/streams/${stream}'])`).first().innerText(), /Achieved/);
  // The downloads are the history.
  const jsonl = await page.evaluate(async (s) => (await fetch(`/streams/${s}/history.jsonl`)).text(), stream);
  const lines = jsonl.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((e) => e.version), lines.map((_, i) => i + 1));
  assert.ok(lines.some((e) => e.type === "EvidenceSubmitted"));
  // The milestone itself as of a day and a UK time: the minute its evidence came in.
  const recordedAt = (e) => Date.parse(e.metadata?.recorded_at ?? e.recorded_at);
  const submittedAt = recordedAt(lines.find((e) => e.type === "EvidenceSubmitted"));
  const uk = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", year: "numeric",
    month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .formatToParts(new Date(submittedAt)).reduce((o, p) => ({ ...o, [p.type]: p.value }), {});
  const minute = Math.floor(submittedAt / 60000) * 60000;  // HH:MM:00, before the evidence
  await page.goto(server.url + "/streams/" + stream);
  await page.fill("#as-of", `${uk.year}-${uk.month}-${uk.day}`);
  await page.fill("#as-of-at", `${uk.hour}:${uk.minute}`);
  const [asOf] = await Promise.all([page.waitForNavigation(), page.locator(".asof-form button").click()]);
  const earlier = lines.filter((e) => recordedAt(e) <= minute);
  if (earlier.length === 0) {  // the whole milestone came within that minute
    assert.equal(asOf.status(), 404);
    assert.match(await page.locator("main").innerText(), /not yet recorded at the time asked \(\d+ \w+ \d{4}, \d\d:\d\d (GMT|BST)\); it begins later/);
  } else {
    assert.equal(asOf.status(), 200);
    assert.match(await page.locator(".banner.asof").innerText(),
                 new RegExp(`As of ${Number(uk.day)} \\w+ ${uk.year}, ${uk.hour}:${uk.minute} (GMT|BST)`));
    assert.notEqual(await statusOn(page), "Awaiting verification");
    assert.equal(await page.locator("form[action='/commands']").count(), 0, "nothing to do in the past");
    await checkAccessible(page, "milestone-as-of", { people: false });
  }
  const csv = await page.evaluate(async (s) => (await fetch(`/streams/${s}/history.csv`)).text(), stream);
  assert.match(csv, /^version,recorded_at,actor,role,type,reason,data/);
  assert.equal(csv.trim().split("\r\n").length, lines.length + 1);
  // Events link to the other streams of their request or flow: the plan the
  // policy drafted names the approval that caused it and its other effects.
  await page.goto(server.url + "/streams/plan-fife-round1/history#v1");
  const first = await page.locator("li#v1").innerText();
  assert.match(first, /caused by assessment-fife-round1 version \d+/);
  assert.match(first, /with .*assessment-fife-round1 version \d+ \(Assessment approved\)/);
  assert.match(first, /network-fife version \d+ \(Assessment outcome recorded\)/);
  // An auditor is offered nothing to do.
  await page.goto(server.url + "/streams/" + stream);
  assert.equal(await page.locator("form[action='/commands']").count(), 0);
  // Every hash chain of the programme, network by network, with its progress.
  await Promise.all([page.waitForNavigation(), page.locator("nav a", { hasText: "Integrity" }).click()]);
  await page.locator("button", { hasText: "Check every hash chain" }).click();
  await page.locator("#chains-note", { hasText: /^Done: / }).waitFor();
  assert.equal(await page.locator("#chains-note").innerText(), "Done: every chain intact.");
  assert.equal(await page.locator("#chains-progress").evaluate((p) => p.value === p.max), true);
  assert.equal(await page.locator("#chains tr[data-ok=yes]").count(),
               await page.locator("#chains tbody tr").count());
  assert.match(await page.locator("#chains-total").innerText(), /All \d+ events the store holds are in the chains checked/);
  await checkAccessible(page, "integrity", { people: false });
  // One log of every event: the coordinator's evidence, found by person and by what happened.
  await Promise.all([page.waitForNavigation(), page.locator("nav a", { hasText: "Event log" }).click()]);
  assert.ok(await page.locator("#log tbody tr").count() > 0, "the log lists events");
  await page.selectOption("#l-person", "fife-coordinator");
  await page.selectOption("#l-type", { label: "Evidence submitted" });
  await page.selectOption("#l-network", { label: "Fife Social Enterprise Network" });
  await Promise.all([page.waitForNavigation(), page.locator("button", { hasText: "Find events" }).click()]);
  const found = page.locator("#log tbody tr");
  assert.ok(await found.count() >= 1, "the coordinator's evidence is found");
  for (const row of await found.all()) {
    const text = await row.innerText();
    assert.match(text, /fife-coordinator/);
    assert.match(text, /Evidence submitted/);
    assert.match(text, /\d+ \w+ \d{4}, \d\d:\d\d (GMT|BST)/);
  }
  assert.equal(await page.locator("#l-person").inputValue(), "fife-coordinator", "the search is kept");
  const theirs = lines.filter((e) => e.type === "EvidenceSubmitted" &&
                                     (e.metadata?.actor ?? e.actor) === "fife-coordinator").at(-1);
  assert.ok(theirs, "the coordinator submitted this milestone's evidence");
  assert.equal(await found.locator(`a[href='/streams/${stream}/history#v${theirs.version}']`).count(), 1);
  await checkAccessible(page, "event-log", { people: false });
  await context.close();
});

test("the officer approves an assessment submitted to them from What needs you in 3 clicks", async () => {
  // The network scores and submits an assessment (from the command line, as its coordinator).
  const as = ["--actor", "fife-coordinator", "--role", "network", "--network", "fife"];
  const stream = "assessment-fife-tasks";
  programme.waymark("command", stream, "StartAssessment", "--actor", "olivia", "--role", "officer",
                    "--data", JSON.stringify({ network_id: "fife", period: "2027 spring" }));
  for (const dimension of ["membership", "connectivity", "influence", "conduit", "best_practice",
                           "knowledge_sharing", "problem_solving", "innovation",
                           "professionalism", "joint_working"]) {
    programme.waymark("command", stream, "ScoreDimension", ...as, "--data",
                      JSON.stringify({ dimension, score: 3, note: "from the members' survey" }));
  }
  programme.waymark("command", stream, "SubmitAssessment", ...as);

  const { context, page } = await signIn(browser, server.url, programme.tokens.olivia);
  let clicks = 0;
  const click = async (locator) => {
    clicks += 1;
    await Promise.all([page.waitForNavigation(), locator.click()]);
  };
  const nav = page.locator("nav a", { hasText: "What needs you" });
  await waitFor("the submitted assessment to be counted", async () => {
    await page.reload();
    return Number(await nav.locator(".count").innerText()) >= 1;
  });
  await Promise.all([page.waitForNavigation(), nav.click()]);
  assert.match(await page.locator("h1").innerText(), /What needs you/);
  await checkAccessible(page, "tasks-officer");
  const task = page.locator(`ul.tasks a[href='/streams/${stream}']`);
  assert.match(await task.innerText(), /Approve the assessment/);
  await click(task);
  await click(page.locator("button", { hasText: "Approve assessment" }));
  await click(page.locator("button", { hasText: "Yes, approve assessment" }));
  assert.ok(clicks <= 3, `${clicks} clicks`);
  assert.match(await page.locator(".banner.done").innerText(), /Approve assessment/);
  assert.equal((await api(programme.tokens.olivia, `/api/v1/streams/${stream}`)).body.status,
               "approved");
  // Approved, it no longer waits on her.
  await page.goto(server.url + "/tasks");
  assert.equal(await page.locator(`ul.tasks a[href='/streams/${stream}']`).count(), 0);
  await context.close();
});

test("the network scores all ten dimensions on one page and submits in at most 25 interactions", async () => {
  const stream = "assessment-fife-2027-autumn";
  programme.waymark("command", stream, "StartAssessment", "--actor", "olivia", "--role", "officer",
                    "--data", JSON.stringify({ network_id: "fife", period: "2027 autumn" }));
  const dimensions = ["membership", "connectivity", "influence", "conduit", "best_practice",
                      "knowledge_sharing", "problem_solving", "innovation", "professionalism",
                      "joint_working"];
  const { context, page } = await signIn(browser, server.url, programme.tokens.fife);
  let interactions = 0;
  const act = async (what) => { interactions += 1; await what(); };
  const navigate = (locator) => act(() => Promise.all([page.waitForNavigation(), locator.click()]));
  await waitFor("the new assessment to wait on the network", async () => {
    await page.goto(server.url + "/tasks");
    return (await page.locator(`ul.tasks a[href='/streams/${stream}']`).count()) === 1;
  });
  await navigate(page.locator(`ul.tasks a[href='/streams/${stream}']`));
  assert.match(await page.locator("#scored").innerText(), /0 of 10 scored/);
  // Each dimension says what it asks and what each score means; the last round is beside it.
  const first = page.locator("#d-membership");
  assert.match(await first.innerText(), /An active and growing membership/);
  assert.match(await first.innerText(), /Last round \(\d{4} \w+\): \d/);
  assert.equal(await first.locator("input[type=radio]").count(), 5);
  await checkAccessible(page, "assessment-scoring");
  for (const [i, d] of dimensions.entries()) {
    await act(() => page.locator(`#d-${d} input[type=radio][value="${1 + (i % 5)}"]`).check());
    await act(() => page.locator(`#d-${d} textarea[name="note.${d}"]`).fill(`From the members' survey, point ${i + 1}`));
    if (i === 1) {
      // One saved on its own: the page stays, the other dimension keeps its choice and note.
      await act(() => page.locator("#d-connectivity button", { hasText: "Save connectivity" }).click());
      await page.locator("#d-connectivity .saved", { hasText: "Saved." }).waitFor();
      assert.match(await page.locator("#scored").innerText(), /1 of 10 scored/);
      assert.equal(await page.locator("#d-membership input[value='1']").isChecked(), true);
      assert.match(await page.locator("#d-membership textarea[name='note.membership']").inputValue(), /point 1$/);
    }
  }
  await navigate(page.locator("button", { hasText: "Save all scores" }));
  assert.match(await page.locator("#scored").innerText(), /10 of 10 scored/);
  await navigate(page.locator("button", { hasText: "Submit assessment" }));
  assert.match(await page.locator("main").innerText(), /10 of 10 dimensions scored/);
  await checkAccessible(page, "confirm-submit-assessment");
  await navigate(page.locator("button", { hasText: "Yes, submit assessment" }));
  assert.ok(interactions <= 25, `${interactions} interactions`);
  const now = (await api(programme.tokens.olivia, `/api/v1/streams/${stream}`)).body;
  assert.equal(now.status, "submitted");
  assert.equal(now.state.scores.joint_working.score, 5);
  assert.equal(now.state.scores.membership.note, "From the members' survey, point 1");
  await context.close();

  // The officer moderates on the same page: the network's score beside her own.
  const officer = await signIn(browser, server.url, programme.tokens.olivia);
  await officer.page.goto(server.url + "/streams/" + stream);
  const influence = officer.page.locator("#d-influence");
  assert.match(await influence.innerText(), /The network's score: 3/);
  await influence.locator("input[value='4']").check();
  await influence.locator("textarea[name='reason.influence']").fill("The seat on the partnership board counts for more");
  await Promise.all([officer.page.waitForNavigation(),
                     officer.page.locator("button", { hasText: "Save all moderated scores" }).click()]);
  await checkAccessible(officer.page, "assessment-moderation");
  const moderated = (await api(programme.tokens.olivia, `/api/v1/streams/${stream}`)).body;
  assert.equal(moderated.state.moderated.influence.score, 4);
  await officer.context.close();
});

test("an officer reschedules an overdue milestone without typing an id; a refused form keeps its text", async () => {
  const overdue = await api(programme.tokens.olivia, "/api/v1/milestones?network=glasgow&status=overdue");
  const [target] = overdue.body.items;
  assert.ok(target, "the demo has an overdue milestone for glasgow");
  const stream = "milestone-" + target.milestone_id;
  const dayAfter = (day, n = 1) =>
    new Date(Date.parse(day + "T00:00:00Z") + n * 86400000).toISOString().slice(0, 10);
  const { context, page } = await signIn(browser, server.url, programme.tokens.olivia);
  // Found by its title in the caseload's queue.
  await Promise.all([page.waitForNavigation(),
                     page.locator(`#queue a[href='/streams/${stream}']`).click()]);
  await page.locator("summary", { hasText: "Reschedule milestone" }).click();
  const form = page.locator("form:has(input[name=_type][value=RescheduleMilestone])");
  const due = form.locator("input[name=due]");
  assert.equal(await due.getAttribute("min"), dayAfter(target.due), "only later than it is due");
  assert.equal(await form.locator("input[type=text]").count(), 0, "no id to type");
  const reason = "The venue closed for repairs; the members agreed a new date";
  await form.locator("textarea[name=reason]").fill(reason);
  // The browser holds back a day that is not later...
  await due.fill(target.due);
  await form.locator("button[type=submit]").click();
  assert.equal(await due.evaluate((e) => e.validity.rangeUnderflow), true);
  // ... and the server refuses it too, with everything typed kept.
  await due.evaluate((e) => e.removeAttribute("min"));
  const [refused] = await Promise.all([page.waitForNavigation(), form.locator("button[type=submit]").click()]);
  assert.equal(refused.status(), 422);
  assert.match(await page.locator(".banner.refused").innerText(), /must be after/);
  const again = page.locator("form:has(input[name=_type][value=RescheduleMilestone])");
  assert.equal(await again.locator("textarea[name=reason]").inputValue(), reason);
  assert.equal(await again.locator("input[name=due]").inputValue(), target.due);
  await checkAccessible(page, "refused-keeps-text");
  const later = dayAfter(target.due, 40);
  await again.locator("input[name=due]").fill(later);
  await Promise.all([page.waitForNavigation(), again.locator("button[type=submit]").click()]);
  assert.match(await page.locator(".banner.done").innerText(), /Reschedule milestone/);
  const now = (await api(programme.tokens.olivia, `/api/v1/streams/${stream}`)).body;
  assert.equal(now.state.due, later);
  assert.equal(now.state.reschedules, 1);
  await context.close();
});

test("every other page passes axe: assessment, plan, step, report, sign-in", async () => {
  const { context, page } = await signIn(browser, server.url, programme.tokens.olivia);
  for (const [name, path] of [
    ["assessment", "/streams/assessment-fife-round2"],
    ["plan", "/streams/plan-fife-round1"],
    ["step", "/streams/step-fife-1"],
    ["report", "/report"],
  ]) {
    const response = await page.goto(server.url + path);
    assert.equal(response.status(), 200, path);
    await checkAccessible(page, name);
  }
  assert.ok(await page.locator("svg[role=img] title").count() >= 3, "the report's charts");
  await context.close();
  const anonymous = await browser.newContext();
  const signin = await anonymous.newPage();
  await signin.goto(server.url + "/");
  assert.match(signin.url(), /\/signin$/);
  await checkAccessible(signin, "signin");
  await anonymous.close();
});

test("the administrator gives access, the token works once shown, and revoking it ends it", async () => {
  const { context, page } = await signIn(browser, server.url, programme.tokens.admin);
  await Promise.all([page.waitForNavigation(), page.locator("nav a", { hasText: "Access" }).click()]);
  await checkAccessible(page, "tokens");
  // A coordinator's token names a network chosen by name.
  await page.fill("#t-name", "Morag, Fife coordinator");
  await page.selectOption("#t-role", "network");
  await page.selectOption("#t-network", { label: "Fife Social Enterprise Network" });
  await Promise.all([page.waitForNavigation(), page.locator("button", { hasText: "Make a sign-in token" }).click()]);
  const token = await page.locator("#new-token").inputValue();
  assert.match(token, /^wmk_/);
  assert.match(await page.locator("main").innerText(), /shown only once/);
  await checkAccessible(page, "token-made", { people: false });
  // It signs in as the network's coordinator.
  const morag = await signIn(browser, server.url, token);
  assert.match(morag.page.url(), /\/networks\/fife$/);
  // Listed by person; revoked after a confirmation; then it no longer signs in.
  await page.goto(server.url + "/tokens");
  const row = page.locator("tr", { hasText: "Morag, Fife coordinator" });
  assert.match(await row.innerText(), /Network coordinator/);
  await Promise.all([page.waitForNavigation(), row.locator("button", { hasText: "Revoke" }).click()]);
  assert.match(await page.locator("main").innerText(), /cannot undo this yourself/);
  await Promise.all([page.waitForNavigation(), page.locator("button", { hasText: "Yes, revoke access" }).click()]);
  assert.match(await page.locator(".banner.done").innerText(), /Revoke access/);
  assert.match(await page.locator("tr", { hasText: "Morag, Fife coordinator" }).innerText(), /Revoked/);
  await morag.page.goto(server.url + "/networks/fife");
  assert.match(morag.page.url(), /\/signin/);
  await morag.context.close();
  // An officer has no access page.
  const officer = await signIn(browser, server.url, programme.tokens.olivia);
  assert.equal((await officer.page.goto(server.url + "/tokens")).status(), 403);
  await officer.context.close();
  await context.close();
});

test("the evidence flow by keyboard alone", async () => {
  const [target] = await milestonesOf("fife", "overdue");
  assert.ok(target, "the demo has an overdue milestone for fife");
  const stream = "milestone-" + target.milestone_id;
  const context = await browser.newContext();
  const page = await context.newPage();
  const key = (k) => page.keyboard.press(k);
  // Tab until the focused element passes `test`; fails after `max` presses.
  const tabTo = async (what, test, max = 200) => {
    for (let i = 0; i < max; ++i) {
      await key("Tab");
      if (await page.evaluate(test)) return;
    }
    throw new Error("keyboard could not reach " + what);
  };
  await page.goto(server.url + "/signin");
  await tabTo("the token field", () => document.activeElement?.id === "token");
  await page.keyboard.type(programme.tokens.fife);
  await Promise.all([page.waitForNavigation(), key("Enter")]);
  assert.match(page.url(), /\/networks\/fife$/);
  await tabTo("the milestone's link",
    new Function(`return document.activeElement?.getAttribute("href") === "/streams/${stream}"`));
  await Promise.all([page.waitForNavigation(), key("Enter")]);
  await tabTo("Submit evidence", () => document.activeElement?.tagName === "SUMMARY" &&
    document.activeElement.textContent === "Submit evidence");
  await key("Enter");
  await tabTo("the summary", () => document.activeElement?.name === "summary");
  await page.keyboard.type("Survey results shared at the members' meeting");
  await tabTo("the links", () => document.activeElement?.name === "links");
  await page.keyboard.type("https://example.org/survey-results");
  await tabTo("the submit button", () => document.activeElement?.tagName === "BUTTON" &&
    document.activeElement.textContent === "Submit evidence…");
  await Promise.all([page.waitForNavigation(), key("Enter")]);
  await tabTo("the confirmation", () => document.activeElement?.tagName === "BUTTON" &&
    document.activeElement.textContent === "Yes, submit evidence");
  await Promise.all([page.waitForNavigation(), key("Enter")]);
  assert.equal(await statusOn(page), "Awaiting verification");
  // The focus is visible where it lands.
  await tabTo("a link", () => document.activeElement?.tagName === "A");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, "none");
  await shot(page, "keyboard-evidence");
  await context.close();
});

test("security: cookie flags, forms refused without their token or from elsewhere, escaping, CSP", async () => {
  const { context, page } = await signIn(browser, server.url, programme.tokens.admin);
  const [session] = (await context.cookies()).filter((c) => c.name === "waymark_session");
  assert.ok(session, "signed in with a cookie");
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, "Strict");
  assert.match(session.value, /^wms_/, "the server's own session");
  assert.ok(!session.value.includes(programme.tokens.admin), "never the bearer token");
  assert.equal(await page.evaluate(() => document.cookie), "", "scripts cannot read the session");
  assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0);

  // The markup in a network's name and region is text, and ran nothing.
  await page.goto(server.url + "/");
  await page.getByText("<script>alert(1)</script>").first().waitFor();
  assert.equal(await page.getByText("<img src=x onerror=alert(2)>").count(), 1);
  await page.goto(server.url + "/networks/xss");
  assert.equal(await page.locator("h1").innerText(), "<script>alert(1)</script>");
  assert.deepEqual(page.dialogs, []);
  await shot(page, "escaping");

  // Headers: CSP without inline scripts, no sniffing, no framing.
  const response = await page.goto(server.url + "/networks/fife");
  const csp = response.headers()["content-security-policy"];
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(response.headers()["x-content-type-options"], "nosniff");

  // A form post without the session's form token, or from another site, changes nothing.
  const stream = "network-fife";
  const version = await streamVersion(stream);
  const post = (headers, body) => page.evaluate(async ([h, b]) => {
    const r = await fetch("/commands", { method: "POST", headers: h, body: b, redirect: "manual" });
    return r.status;
  }, [headers, body]);
  const form = (csrf) => new URLSearchParams({
    _csrf: csrf, _stream: stream, _type: "RecordMembership", _version: String(version),
    members: "40", active_members: "20",
  }).toString();
  const urlencoded = { "content-type": "application/x-www-form-urlencoded" };
  assert.equal(await post(urlencoded, form("")), 403);
  assert.equal(await post(urlencoded, form("0".repeat(64))), 403);
  const csrf = await page.locator("input[name=_csrf]").first().getAttribute("value");
  const crossSite = await context.request.post(server.url + "/commands", {
    headers: { ...urlencoded, origin: "http://evil.example" }, data: form(csrf), maxRedirects: 0,
  });
  assert.equal(crossSite.status(), 403);
  assert.equal(await streamVersion(stream), version, "nothing was recorded");
  // With its token, from this site, the same form is taken.
  assert.equal(await post(urlencoded, form(csrf)), 0 /* opaque redirect */);
  assert.equal(await streamVersion(stream), version + 1);

  // Signing out ends the cookie; pages then ask to sign in.
  await page.goto(server.url + "/");
  await Promise.all([page.waitForNavigation(), page.locator("button", { hasText: "Sign out" }).click()]);
  assert.match(page.url(), /\/signin$/);
  assert.equal((await context.cookies()).filter((c) => c.name === "waymark_session").length, 0);
  await context.close();
});

test("the pages' CSS and JavaScript stay under 100 KB and come from this server", async () => {
  let bytes = 0;
  for (const path of ["/static/app.css", "/static/app.js"]) {
    const r = await fetch(server.url + path);
    assert.equal(r.status, 200);
    bytes += (await r.arrayBuffer()).byteLength;
  }
  assert.ok(bytes < 100 * 1024, `${bytes} bytes`);
  const { context, page } = await signIn(browser, server.url, programme.tokens.olivia);
  const outside = [];
  page.on("request", (r) => { if (!r.url().startsWith(server.url) && !r.url().startsWith("data:")) outside.push(r.url()); });
  await page.goto(server.url + "/networks/fife");
  await page.goto(server.url + "/report");
  assert.deepEqual(outside, []);
  await context.close();
  assert.ok(pagesChecked.length >= 12, `axe ran on ${pagesChecked.join(", ")}`);
});
