// Waymark dashboard: live updates over server-sent events. Pages work
// without it; with it, each [data-live] region is fetched again when the
// read models move past the position it was rendered at.
"use strict";
// A table too wide for its place (a phone) stacks: each row a block, each
// cell under its column's name.
function labelTables(root) {
  for (const table of root.querySelectorAll("table")) {
    const heads = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
    if (heads.length === 0) continue;
    for (const row of table.querySelectorAll("tbody tr")) {
      Array.from(row.children).forEach((cell, i) => {
        if (cell.tagName === "TD" && heads[i]) cell.dataset.label = heads[i];
      });
    }
    table.classList.remove("stacked");
    const room = table.parentElement ? table.parentElement.clientWidth : window.innerWidth;
    if (table.scrollWidth > room + 1) table.classList.add("stacked");
  }
}
window.addEventListener("resize", () => labelTables(document));

// The programme-wide check, network by network, with its progress.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (form.id !== "check-all" || !window.fetch) return;
  event.preventDefault();
  const rows = Array.from(document.querySelectorAll("#chains tr[data-network]"));
  const progress = document.getElementById("chains-progress");
  const note = document.getElementById("chains-note");
  const button = form.querySelector("button");
  button.disabled = true;
  progress.hidden = false;
  let counted = 0, broken = 0;
  try {
    for (const [i, row] of rows.entries()) {
      note.textContent = `Checking ${i + 1} of ${rows.length}…`;
      const response = await fetch(`/audit?check=${encodeURIComponent(row.dataset.network)}&part=row`,
                                   { credentials: "same-origin" });
      if (!response.ok) throw new Error(`the check stopped (${response.status})`);
      const body = document.createElement("tbody");
      body.innerHTML = await response.text();
      const fresh = body.firstElementChild;
      row.replaceWith(fresh);
      labelTables(document);
      counted += Number(fresh.dataset.events || 0);
      if (fresh.dataset.ok !== "yes") broken += 1;
      progress.value = i + 1;
    }
    const total = await fetch(`/audit?check=total&part=row&counted=${counted}`,
                              { credentials: "same-origin" });
    document.getElementById("chains-total").outerHTML = await total.text();
    note.textContent = broken ? `Done: ${broken} network(s) with a broken chain.`
                              : `Done: every chain intact.`;
  } catch (e) {
    note.textContent = String(e.message || e);
  } finally {
    button.disabled = false;
  }
});

// An assessment's dimension saved on its own without leaving the page: the
// other dimensions keep what is typed in them. (Without scripts, the same
// button saves it and reloads the page.)
document.addEventListener("click", async (event) => {
  const button = event.target.closest && event.target.closest("form.scores button[name=_only]");
  if (!button || !button.value || !window.fetch || !window.DOMParser) return;
  event.preventDefault();
  const form = button.form;
  const fieldset = button.closest("fieldset.dimension");
  const body = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (name.startsWith("_") || name.endsWith("." + button.value)) body.append(name, value);
  }
  body.set("_only", button.value);
  let note = fieldset.querySelector(".saved");
  if (!note) {
    note = document.createElement("p");
    note.className = "saved";
    note.setAttribute("role", "status");
    button.after(note);
  }
  button.disabled = true;
  try {
    const response = await fetch(form.action, { method: "POST", body, credentials: "same-origin" });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    if (!response.ok) {
      const why = page.querySelector(".banner.refused p");
      note.className = "saved field-error";
      note.textContent = why ? why.textContent : "Not saved; try again.";
      return;
    }
    for (const name of ["_version", "_key"]) {
      const fresh = page.querySelector(`form.scores input[name=${name}]`);
      if (fresh) form.elements[name].value = fresh.value;
    }
    const legend = page.querySelector(`#${fieldset.id} > legend`);
    if (legend) fieldset.querySelector("legend").innerHTML = legend.innerHTML;
    const scored = page.getElementById("scored");
    if (scored && document.getElementById("scored")) {
      document.getElementById("scored").textContent = scored.textContent;
    }
    for (const field of fieldset.querySelectorAll("input, textarea")) {
      field.defaultChecked = field.checked;
      field.defaultValue = field.value;
    }
    note.className = "saved";
    note.textContent = "Saved.";
  } finally {
    button.disabled = false;
  }
});
labelTables(document);
(function () {
  const regions = Array.from(document.querySelectorAll("[data-live]"));
  if (regions.length === 0 || !window.EventSource) return;
  // A region is busy while someone types in it, or has typed and not sent it:
  // it is not replaced then (nothing typed is lost), and says there is news.
  const edited = (region) => Array.from(region.querySelectorAll("input, textarea, select")).some(
    (f) => (f.type === "radio" || f.type === "checkbox") ? f.checked !== f.defaultChecked
      : f.tagName === "SELECT" ? f.selectedIndex !== Math.max(0,
          Array.from(f.options).findIndex((o) => o.defaultSelected))
      : f.type !== "hidden" && f.value !== f.defaultValue);
  const busy = (region) => {
    const a = document.activeElement;
    return (a && region.contains(a) && /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName)) || edited(region);
  };
  const refresh = async (region, position) => {
    if (busy(region)) {
      region.dataset.pending = String(position);
      const note = document.getElementById("live-note");
      if (note) note.textContent = "Something changed; it shows once you have sent or cleared what you typed.";
      return;
    }
    const response = await fetch(region.dataset.live, { credentials: "same-origin" });
    if (!response.ok) return;
    region.innerHTML = await response.text();
    labelTables(region);
    region.dataset.position = String(position);
    delete region.dataset.pending;
    const note = document.getElementById("live-note");
    if (note) note.textContent = "Updated " + new Date().toLocaleTimeString();
  };
  document.addEventListener("focusout", () => {
    setTimeout(() => {
      for (const region of regions) {
        if (region.dataset.pending && !busy(region)) refresh(region, Number(region.dataset.pending));
      }
    }, 0);
  });
  const source = new EventSource("/live");
  source.onmessage = (event) => {
    const position = Number(event.data);
    for (const region of regions) {
      if (position > Number(region.dataset.position || 0)) refresh(region, position);
    }
  };
})();
