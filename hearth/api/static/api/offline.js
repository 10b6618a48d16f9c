// The installable app on every page: registers the service worker, keeps a form marked
// data-offline-outbox on the device (IndexedDB) when it is sent without a connection, and sends
// what it kept once the connection is back, each exactly once (an idempotency key per check-in).
const meta = document.querySelector("meta[name=hearth-app]");
const person = meta ? meta.dataset.person : "";
const DB_NAME = "hearth-outbox";
const STORE = "items";

if (meta && "serviceWorker" in navigator) {
  navigator.serviceWorker.register(meta.dataset.sw, { scope: "/" }).catch(() => undefined);
}

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore(mode, use) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = use(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

const allItems = () => withStore("readonly", (store) => store.getAll());
const putItem = (item) => withStore("readwrite", (store) => store.put(item));
const deleteItem = (key) => withStore("readwrite", (store) => store.delete(key));
// Only this person's check-ins: a shared phone never sends one person's check-in as another's.
const mine = async () => (person ? (await allItems()).filter((item) => item.person === person) : []);

function showStatus(state, detail) {
  for (const region of document.querySelectorAll("[data-outbox-status]")) {
    const text = region.dataset[state] || "";
    region.textContent = detail ? `${text} ${detail}` : text;
    region.dataset.state = state;
    region.hidden = !text;
  }
}

function csrfToken() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  } catch (error) {
    return "";
  }
}

async function sendOne(item) {
  const body = new URLSearchParams(item.fields);
  let response;
  try {
    response = await fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Idempotency-Key": item.key, "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body,
    });
  } catch (error) {
    return "waiting"; // still no connection
  }
  if (response.ok) {
    await deleteItem(item.key);
    return "sent";
  }
  const answer = await response.json().catch(() => null); // a CSRF refusal answers HTML
  if (response.status === 401 || (response.status === 403 && !answer)) {
    return "signin"; // signed out, or this page's token went stale: keep it for the next page
  }
  if (response.status >= 500 || response.status === 429) {
    return "waiting";
  }
  // The server refused the answers themselves (e.g. a day too long ago): say why, drop it.
  await deleteItem(item.key);
  const detail = answer && answer.detail;
  const text = Array.isArray(detail) ? detail.join(" ") : detail && typeof detail === "object" ? Object.values(detail).flat().join(" ") : "";
  showStatus("failed", text);
  return "failed";
}

async function flush() {
  const run = async () => {
    const items = await mine();
    if (!items.length) return "sent";
    if (!navigator.onLine) {
      showStatus("waiting");
      return "waiting";
    }
    let outcome = "sent";
    for (const item of items) {
      const result = await sendOne(item);
      if (result !== "sent") outcome = result;
      if (result === "waiting" || result === "signin") break;
    }
    if (outcome !== "failed") showStatus(outcome);
    return outcome;
  };
  // One tab at a time sends; the idempotency key covers anything that still gets sent twice.
  return navigator.locks ? navigator.locks.request("hearth-outbox", run) : run();
}

// The "online" event is not a promise (it is missed on some pages, and fires on a network that
// reaches nothing): while something waits, try again every few seconds, backing off to a minute.
let retryDelay = 5000;
let retryTimer = null;
async function flushAndRetry() {
  clearTimeout(retryTimer);
  const outcome = await flush().catch(() => "waiting");
  if (outcome === "waiting" || outcome === "signin") {
    retryTimer = setTimeout(flushAndRetry, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  } else {
    retryDelay = 5000;
  }
}

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

for (const form of document.querySelectorAll("form[data-offline-outbox]")) {
  form.addEventListener("submit", async (event) => {
    // Online, the form posts as usual (and shows its own errors); offline, the phone keeps it.
    if (navigator.onLine || !person) return;
    event.preventDefault();
    const fields = [...new FormData(form).entries()].filter(([name]) => name !== "csrfmiddlewaretoken");
    await putItem({ key: newKey(), person, url: form.dataset.offlineOutbox, fields, created: Date.now() });
    showStatus("waiting");
    // One kept copy per form: a second tap would only be refused as a second check-in for the day.
    for (const button of form.querySelectorAll("[type=submit]")) button.disabled = true;
    retryDelay = 5000;
    retryTimer = setTimeout(flushAndRetry, retryDelay);
    const region = document.querySelector("[data-outbox-status]");
    if (region) region.scrollIntoView({ block: "center" });
  });
}

// Signing out removes the pages this person kept on the device (their own safety plan).
for (const form of document.querySelectorAll("form[action$='/logout/']")) {
  form.addEventListener("submit", async (event) => {
    if (!("caches" in window) || form.dataset.cleared) return;
    event.preventDefault();
    await caches.delete("hearth-pages").catch(() => false);
    form.dataset.cleared = "1";
    form.requestSubmit();
  });
}

window.addEventListener("online", () => {
  retryDelay = 5000;
  flushAndRetry();
});
window.addEventListener("offline", async () => {
  if ((await mine()).length) showStatus("waiting");
});
if ("indexedDB" in window) {
  flushAndRetry();
}
