// The broadcast page's progress bar: polls the notice's status once a second until it is done (or cancelled).
"use strict";
(() => {
  const root = document.getElementById("notice-progress");
  if (!root) return;
  const bar = document.getElementById("progress-bar");
  const show = (id, value) => { document.getElementById(id).textContent = value; };
  async function poll() {
    const response = await fetch(root.dataset.url, { headers: { Accept: "application/json" } });
    if (!response.ok) return setTimeout(poll, 1000);
    const p = await response.json();
    const handled = p.sent + p.failed + p.skipped;
    const percent = p.status === "done" ? 100 : p.total === 0 ? 0 : Math.floor(100 * handled / p.total);
    bar.firstElementChild.style.width = percent + "%";
    bar.setAttribute("aria-valuenow", percent);
    show("progress-percent", percent); show("progress-status", p.status); show("progress-sent", p.sent);
    show("progress-total", p.total); show("progress-failed", p.failed); show("progress-skipped", p.skipped);
    if (p.status !== "done" && p.status !== "cancelled") setTimeout(poll, 1000);
  }
  poll();
})();
