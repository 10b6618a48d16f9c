// Live chat over /ws/chat/ (protocol v1, docs/realtime-protocol.md). The page works without it:
// the form posts and the list links. With it: messages, edits, reactions and unread badges arrive
// live, sends survive a dropped connection (resent by client_msg_id), and a reconnect resumes from
// the last sequence number and change number seen, so nothing is lost, doubled or left stale.
const root = document.querySelector("[data-chat]");
const lists = [...document.querySelectorAll("[data-chat-list]")];
const anchor = root || lists[0];

if (anchor) {
  const me = Number(anchor.dataset.me);
  const conversationId = root ? Number(root.dataset.conversation) : null;
  const messagesEl = root && root.querySelector("[data-chat-messages]");
  const statusEl = root && root.querySelector("[data-chat-status]");
  const crisisEl = root && root.querySelector("[data-chat-crisis]");
  const form = root && root.querySelector("[data-chat-form]");
  const text = root ? root.dataset : {};
  let lastSeq = root ? Number(root.dataset.lastSeq) : 0;
  // The conversation's change number (edits, deletes, hides, reactions) the page is current to.
  let lastChange = root ? Number(root.dataset.lastChange || 0) : 0;
  let readSent = 0;
  let readTimer = null;
  let socket = null;
  let delay = 1000;
  const pending = new Map(); // client_msg_id -> body, until acknowledged

  const status = (message) => { if (statusEl) statusEl.textContent = message || ""; };
  const send = (frame) => {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(frame)); return true; }
    return false;
  };

  const setBadge = (id, count) => {
    for (const badge of document.querySelectorAll(`[data-unread-for="${id}"]`)) {
      badge.dataset.count = String(count);
      badge.hidden = count <= 0;
      badge.firstChild.textContent = count > 99 ? "99+" : String(count);
    }
    updateTotal();
  };
  // The total over every conversation, where the page shows one.
  const updateTotal = () => {
    const total = document.querySelector("[data-unread-total]");
    if (!total) return;
    const seen = new Set();
    let sum = 0;
    for (const badge of document.querySelectorAll("[data-unread-for]")) {
      if (seen.has(badge.dataset.unreadFor)) continue;
      seen.add(badge.dataset.unreadFor);
      sum += Number(badge.dataset.count || 0);
    }
    total.dataset.count = String(sum);
    total.hidden = sum <= 0;
    total.firstChild.textContent = sum > 99 ? "99+" : String(sum);
  };
  const bumpBadge = (id) => {
    const badge = document.querySelector(`[data-unread-for="${id}"]`);
    if (badge) setBadge(id, Number(badge.dataset.count || 0) + 1);
  };

  // The conversation list: a new message becomes the row's preview, and the row moves to the top
  // (newest first, like every messaging app).
  const showLatest = (frame) => {
    const badge = document.querySelector(`.conversation-list [data-unread-for="${frame.conversation}"]`);
    const row = badge && badge.closest("li");
    if (!row) return;
    const preview = row.querySelector(".conversation-preview");
    if (preview && frame.body) {
      const kind = preview.querySelector(".conversation-kind");
      const mine = frame.sender && frame.sender.id === me;
      const who = mine ? anchor.dataset.you || "" : kind && frame.sender ? frame.sender.name : "";
      preview.textContent = "";
      if (kind) preview.append(kind, " · ");
      preview.append(who ? `${who}: ${frame.body}` : frame.body);
    }
    const time = row.querySelector(".conversation-time");
    if (time && frame.created_at) {
      const at = new Date(frame.created_at);
      time.dateTime = frame.created_at;
      time.textContent = at.toLocaleTimeString(document.documentElement.lang, { hour: "numeric", minute: "2-digit" });
    }
    row.parentElement.prepend(row);
  };

  const sendMessage = (clientMsgId, body) =>
    send({ v: 1, type: "send", id: clientMsgId, conversation: conversationId, client_msg_id: clientMsgId, body });

  const markRead = () => {
    if (!root || document.visibilityState !== "visible" || lastSeq <= readSent) return;
    clearTimeout(readTimer);
    readTimer = setTimeout(() => {
      if (send({ v: 1, type: "read", conversation: conversationId, seq: lastSeq })) readSent = lastSeq;
    }, 1000);
  };

  const meta = (frame) => {
    const p = document.createElement("p");
    p.className = "chat-meta";
    const who = document.createElement("span");
    who.className = "chat-sender";
    who.textContent = frame.sender ? frame.sender.name : "";
    const when = document.createElement("time");
    when.dateTime = frame.created_at;
    when.textContent = new Date(frame.created_at).toLocaleString([], { dateStyle: "short", timeStyle: "short" });
    p.append(who, " ", when);
    if (frame.edited && !frame.deleted && !frame.hidden) p.append(" ", edited());
    return p;
  };
  const edited = () => {
    const span = document.createElement("span");
    span.className = "chat-edited";
    span.textContent = `(${text.textEdited})`;
    return span;
  };
  const reactionsLine = (li, reactions) => {
    let line = li.querySelector(".chat-reactions");
    const entries = Object.entries(reactions || {});
    if (!entries.length) { if (line) line.remove(); return; }
    if (!line) {
      line = document.createElement("p");
      line.className = "chat-reactions";
      li.insertBefore(line, li.querySelector(".chat-actions, .chat-report"));
    }
    line.textContent = entries.map(([emoji, count]) => `${emoji} ${count}`).join("  ");
  };
  const gone = (li) => {
    const body = li.querySelector(".chat-body");
    body.textContent = text.textDeleted;
    body.classList.add("chat-gone");
    body.hidden = false;
    for (const extra of li.querySelectorAll(".chat-reactions, .chat-report, .chat-edited, .chat-actions, .chat-edit")) extra.remove();
  };

  // Buttons are added here, not in the HTML: without scripts they could do nothing.
  const REACTIONS = ["👍", "❤️", "🙏", "💪"];
  const button = (label, onClick, extra = {}) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "chat-action";
    b.textContent = label;
    for (const [key, value] of Object.entries(extra)) b.setAttribute(key, value);
    b.addEventListener("click", onClick);
    return b;
  };
  const frameFor = (li, type, extra = {}) => ({ v: 1, type, conversation: conversationId, seq: Number(li.dataset.seq), ...extra });
  const startEdit = (li) => {
    const body = li.querySelector(".chat-body");
    if (li.querySelector(".chat-edit")) return;
    const editor = document.createElement("div");
    editor.className = "chat-edit";
    const area = document.createElement("textarea");
    area.value = body.textContent;
    area.maxLength = 4000;
    area.setAttribute("aria-label", text.textEdit);
    const close = () => { editor.remove(); body.hidden = false; };
    editor.append(
      area,
      button(text.textSave, () => {
        const value = area.value.trim();
        if (value && value !== body.textContent) send(frameFor(li, "edit", { body: value }));
        close();
      }),
      button(text.textCancel, close),
    );
    body.hidden = true;
    body.after(editor);
    area.focus();
  };
  const addActions = (li) => {
    if (!form || li.querySelector(".chat-actions") || li.querySelector(".chat-gone")) return;
    const bar = document.createElement("div");
    bar.className = "chat-actions";
    for (const emoji of REACTIONS) {
      bar.append(button(emoji, () => send(frameFor(li, "reaction", { emoji })), { "aria-label": `${text.textReact} ${emoji}` }));
    }
    if (li.classList.contains("mine")) {
      bar.append(
        button(text.textEdit, () => startEdit(li)),
        button(text.textDelete, () => { if (window.confirm(text.textConfirmDelete)) send(frameFor(li, "delete")); }),
      );
    }
    li.append(bar);
  };
  if (messagesEl) messagesEl.querySelectorAll(".chat-message").forEach(addActions);
  // Older pages arrive through htmx: give their messages buttons too.
  document.body.addEventListener("htmx:afterSettle", () => {
    if (messagesEl) messagesEl.querySelectorAll(".chat-message").forEach(addActions);
  });

  const addMessage = (frame, live = false) => {
    if (document.getElementById(`m-${frame.seq}`)) return;
    const li = document.createElement("li");
    li.id = `m-${frame.seq}`;
    li.dataset.seq = String(frame.seq);
    li.className = "chat-message" + (frame.sender && frame.sender.id === me ? " mine" : "");
    const body = document.createElement("p");
    body.className = "chat-body";
    body.textContent = frame.body;
    li.append(meta(frame), body);
    if (frame.deleted || frame.hidden) gone(li); else reactionsLine(li, frame.reactions);
    addActions(li);
    // Keep order even if frames arrive out of order (live and resumed).
    const after = [...messagesEl.querySelectorAll("[data-seq]")].find((el) => Number(el.dataset.seq) > frame.seq);
    messagesEl.insertBefore(li, after || null);
    // lastSeq is the highest seq below which the page holds everything: a live message beyond a
    // gap (one the server published while Redis was away, or never published) asks for the gap.
    while (document.getElementById(`m-${lastSeq + 1}`)) lastSeq += 1;
    // Frames of one conversation may pass each other on the way (committed in order, published
    // from parallel threads): only a gap still open 2 s later is missing.
    if (live && frame.seq > lastSeq && !gapTimer) {
      gapTimer = setTimeout(() => { gapTimer = null; if (lastSeq < frame.seq) resume(); }, 2000);
    }
    const empty = root.querySelector("[data-chat-empty]");
    if (empty) empty.remove();
    markRead();
  };

  let resuming = false; // a resume is on its way: a gap seen meanwhile asks for nothing more
  let gapTimer = null;
  const resume = () => {
    if (resuming) return;
    resuming = send({ v: 1, type: "resume", conversation: conversationId, after_seq: lastSeq, after_change: lastChange });
  };
  // A live change moves lastChange on only when it is the next one; after a gap, resume fetches it.
  const changed = (frame) => {
    if (frame.change === lastChange + 1) lastChange = frame.change;
    else if (frame.change > lastChange) resume();
  };
  // A message held on the page, in its current state as resume sends it.
  const refresh = (frame) => {
    const li = document.getElementById(`m-${frame.seq}`);
    if (li && (frame.deleted || frame.hidden)) gone(li);
    else if (li) {
      li.querySelector(".chat-body").textContent = frame.body;
      if (frame.edited && !li.querySelector(".chat-edited")) li.querySelector(".chat-meta").append(" ", edited());
      reactionsLine(li, frame.reactions);
    }
    lastChange = Math.max(lastChange, frame.change);
  };

  const handle = (frame) => {
    const here = root && frame.conversation === conversationId;
    switch (frame.type) {
      case "hello":
        anchor.dataset.live = "true"; // the socket is up (tests and styles can tell)
        resuming = false; // a resume sent on the old socket will never be answered
        for (const [id, count] of Object.entries(frame.unread)) setBadge(id, Number(id) === conversationId ? 0 : count);
        if (root) {
          resume();
          for (const [clientMsgId, body] of pending) sendMessage(clientMsgId, body);
          markRead();
        }
        break;
      case "resync":
        // The server's Redis subscription came back: it may have missed frames. A conversation
        // page resumes on this socket; a list page reconnects for fresh unread counts (hello).
        if (root) { resuming = false; resume(); } else socket.close();
        break;
      case "resume":
        if (!here) break;
        resuming = false;
        frame.messages.forEach((message) => addMessage(message));
        (frame.changes || []).forEach(refresh);
        if (frame.more || frame.changes_more) resume();
        break;
      case "message":
        if (here) addMessage(frame, true);
        else if (!frame.sender || frame.sender.id !== me) bumpBadge(frame.conversation);
        showLatest(frame);
        break;
      case "ack":
        pending.delete(frame.client_msg_id);
        if (frame.crisis && crisisEl) { crisisEl.hidden = false; crisisEl.focus?.(); }
        if (!pending.size) status("");
        break;
      case "edit": {
        const li = here && document.getElementById(`m-${frame.seq}`);
        if (li) {
          li.querySelector(".chat-body").textContent = frame.body;
          if (!li.querySelector(".chat-edited")) li.querySelector(".chat-meta").append(" ", edited());
        }
        if (here) changed(frame);
        break;
      }
      case "delete": {
        const li = here && document.getElementById(`m-${frame.seq}`);
        if (li) gone(li);
        if (here) changed(frame);
        break;
      }
      case "reaction": {
        const li = here && document.getElementById(`m-${frame.seq}`);
        if (li) reactionsLine(li, frame.reactions);
        if (here) changed(frame);
        break;
      }
      case "read":
        setBadge(frame.conversation, frame.unread);
        break;
      case "joined":
        break;
      case "removed":
        if (here && form) form.hidden = true;
        break;
      case "error":
        status(frame.message);
        if (!frame.ref) resuming = false; // a refused resume (it carries no id) is not on its way
        if (frame.ref && pending.has(frame.ref)) {
          const body = pending.get(frame.ref);
          if (frame.code === "rate_limited" || frame.code === "internal_error") {
            setTimeout(() => sendMessage(frame.ref, body), 3000); // kept, tried again
          } else {
            pending.delete(frame.ref); // refused for good: give the text back to edit
            const input = form && form.querySelector("textarea");
            if (input && !input.value) input.value = body;
          }
        }
        break;
      default:
        break; // newer servers may send frames this page does not know
    }
  };

  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    // resync=1: this page resumes on a "resync" frame instead of being closed and reconnecting.
    socket = new WebSocket(`${scheme}://${location.host}${anchor.dataset.socket}?resync=1`);
    socket.addEventListener("open", () => { delay = 1000; });
    socket.addEventListener("message", (event) => {
      try { handle(JSON.parse(event.data)); } catch (error) { console.error("chat frame", error); }
    });
    socket.addEventListener("close", (event) => {
      if (event.code === 4401) return; // signed out
      if (pending.size) status(text.textOffline);
      // Spread by ±50 %: when a server closes all its sockets at once (a restart, a resync after
      // Redis came back), the pages do not all knock again in the same instant.
      setTimeout(connect, delay * (0.5 + Math.random()));
      delay = Math.min(delay * 2, 30000);
    });
  };

  if (form) {
    const input = form.querySelector("textarea");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = input.value.trim();
      if (!body) return;
      const clientMsgId = crypto.randomUUID().replaceAll("-", "");
      pending.set(clientMsgId, body);
      if (!sendMessage(clientMsgId, body)) {
        status(text.textOffline);
      }
      input.value = "";
      input.focus();
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }
  document.addEventListener("visibilitychange", markRead);
  // Leaving the page: say at once what was read rather than after the usual pause.
  window.addEventListener("pagehide", () => {
    if (root && lastSeq > readSent && document.visibilityState === "visible") {
      clearTimeout(readTimer);
      if (send({ v: 1, type: "read", conversation: conversationId, seq: lastSeq })) readSent = lastSeq;
    }
  });
  connect();
}
