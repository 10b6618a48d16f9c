// Turns web push on or off for this browser from the notification settings page.
const panel = document.querySelector("[data-push-panel]");

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function keyBytes(base64url) {
  const padded = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`status ${response.status}`);
  }
}

async function setUp() {
  const status = panel.querySelector("[data-push-status]");
  const enable = panel.querySelector("[data-push-enable]");
  const disable = panel.querySelector("[data-push-disable]");
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
    status.textContent = panel.dataset.unsupported || status.textContent;
    return;
  }
  const registration = await navigator.serviceWorker.register(panel.dataset.swUrl, { scope: "/" });
  const show = (subscribed) => {
    enable.hidden = subscribed;
    disable.hidden = !subscribed;
  };
  show(Boolean(await registration.pushManager.getSubscription()));
  enable.querySelector("button").addEventListener("click", async () => {
    try {
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(panel.dataset.vapidKey),
      });
      await post(panel.dataset.subscribeUrl, subscription.toJSON());
      show(true);
    } catch (error) {
      show(false);
    }
  });
  disable.querySelector("button").addEventListener("click", async () => {
    const subscription = await registration.pushManager.getSubscription();
    if (subscription) {
      await post(panel.dataset.unsubscribeUrl, { endpoint: subscription.endpoint });
      await subscription.unsubscribe();
    }
    show(false);
  });
}

if (panel) {
  setUp();
}
