// Otklik desk: live updates from the daemon's events, the away banner, files dropped on a draft, and typed
// text kept in the tab. The pages work without it; it only spares reloads.
"use strict";
(function () {
  const body = document.body;
  const banner = document.getElementById("away");
  const rows = document.getElementById("rows");
  const changed = document.getElementById("changed");

  function showAway(text) {
    if (!banner) return;
    banner.textContent = text;
    banner.hidden = false;
  }
  function hideAway() {
    if (banner && !body.dataset.reloadWhenBack) banner.hidden = true;
  }

  let refreshing = false;
  function refreshRows() {
    if (!rows || refreshing) return;
    refreshing = true;
    fetch(rows.dataset.source, { credentials: "same-origin", cache: "no-store" })
      .then((answer) => (answer.ok ? answer.text() : Promise.reject(answer.status)))
      .then((html) => { rows.innerHTML = html; })
      .catch(() => {})
      .finally(() => { refreshing = false; });
  }

  // The daemon's events: one stream for all of the desk's tabs (a browser opens at most six connections
  // to one host): the tab that holds the lock reads it and hands every event to the others.
  let away = banner ? !banner.hidden : false;
  function reloadOnce() {
    // A page shown for the daemon away comes back by itself, at most once in ten seconds (a page that
    // fails again is not reloaded in a loop).
    const last = Number(window.sessionStorage.getItem("otklik-desk-reloaded") || 0);
    if (Date.now() - last < 10000) return;
    window.sessionStorage.setItem("otklik-desk-reloaded", String(Date.now()));
    window.location.reload();
  }
  function onDaemon(state) {
    // Only a change from away to back asks for the rows again (the page was just rendered with them).
    if (state.up) {
      hideAway();
      if (body.dataset.reloadWhenBack) reloadOnce();
      if (away) refreshRows();
      away = false;
    } else {
      away = true;
      showAway((body.dataset.away || "{reason}").replace("{reason}", state.reason || ""));
    }
  }
  function onCase(event, reader) {
    refreshRows();
    if (changed && event.case === body.dataset.case) {
      changed.querySelector("span").textContent = event.said + (event.actor ? " — " + event.actor : "");
      changed.hidden = false;
    }
    // One pop-up per event: the tab that reads the stream shows it, when no desk tab is in front.
    if (reader && window.Notification && Notification.permission === "granted" && document.visibilityState !== "visible") {
      const note = new Notification(event.said, { body: event.case, tag: String(event.sequence) });
      note.onclick = () => { window.focus(); window.location.href = "/case/" + event.case; };
    }
  }
  function onHelperAway() {
    if (body.dataset.awayHelper) showAway(body.dataset.awayHelper);
  }
  const channel = window.BroadcastChannel ? new BroadcastChannel("otklik-desk") : null;
  function handle(message, reader) {
    if (message.name === "daemon") onDaemon(message.data);
    if (message.name === "case") onCase(message.data, reader);
    if (message.name === "helper") onHelperAway();
  }
  function read(release) {
    const events = new EventSource("/events");
    let failures = 0;
    function pass(name, data) {
      handle({ name: name, data: data }, true);
      if (channel) channel.postMessage({ name: name, data: data });
    }
    events.addEventListener("open", () => { failures = 0; });
    events.addEventListener("daemon", (message) => pass("daemon", JSON.parse(message.data)));
    events.addEventListener("case", (message) => pass("case", JSON.parse(message.data)));
    events.addEventListener("error", () => {
      failures += 1;
      if (failures >= 2) pass("helper", {});
    });
    window.addEventListener("pagehide", () => { events.close(); if (release) release(); });
  }
  if (window.EventSource) {
    if (channel && navigator.locks) {
      channel.onmessage = (message) => handle(message.data, false);
      // Held until this tab goes; then the next tab takes the stream over.
      navigator.locks.request("otklik-desk-events", () => new Promise((release) => read(release)));
    } else {
      read(null);
    }
  }
  // The figures are the daemon's: asked again every minute, so the time left counts down in working time.
  if (rows) window.setInterval(refreshRows, 60000);

  const notify = document.getElementById("notify");
  if (notify && window.Notification && Notification.permission === "default") {
    notify.hidden = false;
    notify.addEventListener("click", () => {
      Notification.requestPermission().then(() => { notify.hidden = true; });
    });
  }

  // Files dragged onto a draft's form join the ones chosen.
  document.querySelectorAll("[data-drop]").forEach((zone) => {
    const input = zone.querySelector("input[type=file]");
    const list = zone.querySelector(".chosen");
    function show() {
      list.textContent = "";
      Array.from(input.files).forEach((file) => {
        const item = document.createElement("li");
        item.textContent = file.name + " (" + Math.ceil(file.size / 1024) + " KiB)";
        list.appendChild(item);
      });
    }
    input.addEventListener("change", show);
    zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("over");
      const all = new DataTransfer();
      Array.from(input.files).forEach((file) => all.items.add(file));
      Array.from(event.dataTransfer.files).forEach((file) => all.items.add(file));
      input.files = all.files;
      show();
    });
  });

  // Long texts are kept in this tab while typed: a lost connection or a closed page does not lose them.
  // They are forgotten only when their step was done (the page after it says "done=STEP"), never on sending.
  const done = new URLSearchParams(window.location.search).get("done");
  if (done) {
    Object.keys(window.sessionStorage).filter((key) => key.startsWith("otklik-desk:" + done + "-"))
      .forEach((key) => window.sessionStorage.removeItem(key));
  }
  document.querySelectorAll("textarea[data-keep]").forEach((area) => {
    const key = "otklik-desk:" + area.dataset.keep;
    if (!area.value && window.sessionStorage.getItem(key)) area.value = window.sessionStorage.getItem(key);
    area.addEventListener("input", () => window.sessionStorage.setItem(key, area.value));
  });
})();
