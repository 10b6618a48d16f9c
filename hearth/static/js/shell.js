// Live unread-notification badge over the site's websocket, and urgent alerts (a safety signal)
// shown at once in the page's alert region. Reconnects with backoff.
const link = document.querySelector("[data-live-badge]");
const urgentRegion = document.querySelector("[data-urgent-alerts]");
const showUrgent = (data) => {
  if (!urgentRegion || typeof data.url !== "string" || !data.url.startsWith("/")) return;
  const item = document.createElement("p");
  item.className = "urgent-alert";
  const anchor = document.createElement("a");
  anchor.href = data.url;
  anchor.textContent = String(data.title || "");
  item.append(anchor);
  urgentRegion.prepend(item);
  urgentRegion.hidden = false;
};
if (link) {
  const badge = link.querySelector("[data-badge-count]");
  let delay = 1000;
  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${link.dataset.liveBadge}`);
    socket.addEventListener("open", () => { delay = 1000; });
    socket.addEventListener("message", (event) => {
      const data = JSON.parse(event.data);
      if (data.type === "urgent") showUrgent(data);
      if (data.type !== "unread") return;
      badge.hidden = data.count === 0;
      badge.textContent = data.count > 99 ? "99+" : String(data.count);
    });
    socket.addEventListener("close", (event) => {
      if (event.code === 4401) return; // signed out
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  };
  connect();
}

// The main menu is a <details> so it folds away on a phone; on a wide screen it is always open
// (CSS then hides its summary). Without JavaScript the summary stays and still opens it.
const menu = document.querySelector(".nav-menu");
if (menu) {
  const wide = window.matchMedia("(min-width: 48rem)");
  const fit = () => { menu.open = wide.matches; };
  fit();
  wide.addEventListener("change", fit);
}

// A table too wide for the screen scrolls inside its .table-wrap; make that region reachable and
// named for keyboard and screen-reader users, only while it actually scrolls.
const labelFor = (wrap) => {
  const caption = wrap.querySelector("caption");
  if (caption) return caption.textContent.trim();
  const section = wrap.closest("[aria-labelledby]");
  const heading = section && document.getElementById(section.getAttribute("aria-labelledby"));
  return (heading ? heading.textContent : document.title).trim();
};
const markScrollableTables = () => {
  for (const wrap of document.querySelectorAll(".table-wrap")) {
    if (wrap.scrollWidth > wrap.clientWidth) {
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", labelFor(wrap));
    } else {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
    }
  }
};
markScrollableTables();
window.addEventListener("resize", markScrollableTables);
document.addEventListener("htmx:afterSettle", markScrollableTables);

// The help panel closes with Escape (focus goes back to its button) or a tap outside it.
const help = document.querySelector("details.crisis");
if (help) {
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && help.open) {
      help.open = false;
      help.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (help.open && !help.contains(event.target)) help.open = false;
  });
}
