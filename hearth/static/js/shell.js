// Live unread-notification badge over the site's websocket. Reconnects with backoff.
const link = document.querySelector("[data-live-badge]");
if (link) {
  const badge = link.querySelector("[data-badge-count]");
  let delay = 1000;
  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${link.dataset.liveBadge}`);
    socket.addEventListener("open", () => { delay = 1000; });
    socket.addEventListener("message", (event) => {
      const data = JSON.parse(event.data);
      if (data.type !== "unread") return;
      badge.hidden = data.count === 0;
      badge.textContent = data.count > 99 ? "99+" : String(data.count);
      link.setAttribute("aria-label", `${link.querySelector(".visually-hidden").textContent} (${data.count})`);
    });
    socket.addEventListener("close", (event) => {
      if (event.code === 4401) return; // signed out
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  };
  connect();
}
