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
labelTables(document);
(function () {
  const regions = Array.from(document.querySelectorAll("[data-live]"));
  if (regions.length === 0 || !window.EventSource) return;
  const busy = (region) => {
    const a = document.activeElement;
    return a && region.contains(a) && /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName);
  };
  const refresh = async (region, position) => {
    if (busy(region)) {
      region.dataset.pending = String(position);
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
