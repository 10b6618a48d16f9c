// Video rooms (mesh): browser-to-browser WebRTC, signalling over /ws/video/<occurrence>/.
// The newcomer offers to everyone already in the call; the others answer. A dropped socket
// reconnects by itself with a fresh single-use join token, and the server keeps the person's
// seat, so they come straight back in. The device-check page shares the media helpers.
const texts = JSON.parse(document.getElementById("video-texts")?.textContent || "{}");
const fmt = (key, vars = {}) => (texts[key] || key).replace(/%\((\w+)\)s/g, (_, k) => vars[k] ?? "");
const $ = (root, sel) => root.querySelector(sel);

// Timing marks for tests and bench/video_join (no personal data).
const marks = { joinClickedAt: null, firstRemoteFrameAt: null, remoteFrames: 0 };
window.hearthVideo = marks;

async function openMedia(audioOnly) {
  return navigator.mediaDevices.getUserMedia({
    audio: true,
    video: audioOnly ? false : { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 24 } },
  });
}

function meter(stream, el) {
  if (!el || !stream.getAudioTracks().length) return () => {};
  const ctx = new AudioContext();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 512;
  ctx.createMediaStreamSource(stream).connect(analyser);
  const data = new Uint8Array(analyser.fftSize);
  let running = true;
  const tick = () => {
    if (!running) return;
    analyser.getByteTimeDomainData(data);
    let peak = 0;
    for (const v of data) peak = Math.max(peak, Math.abs(v - 128));
    el.value = Math.min(100, Math.round((peak / 128) * 100 * 2));
    setTimeout(tick, 100);
  };
  tick();
  return () => { running = false; ctx.close(); };
}

function deviceCheck(root) {
  const status = $(root, "[data-video-status]");
  const setSupport = (name, ok) => {
    const el = $(root, `[data-support="${name}"] [data-result]`);
    if (el) { el.textContent = ok ? texts.supported : texts.unsupported; el.dataset.ok = ok ? "1" : "0"; }
  };
  setSupport("camera", !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia));
  setSupport("webrtc", typeof RTCPeerConnection === "function");
  setSupport("websocket", typeof WebSocket === "function");
  $(root, "[data-video-start]").addEventListener("click", async () => {
    try {
      const stream = await openMedia(false);
      $(root, "[data-video-local]").srcObject = stream;
      meter(stream, $(root, "[data-video-level]"));
      status.textContent = texts.camera_ready;
    } catch (err) {
      status.textContent = texts.no_camera;
    }
  });
  $(root, "[data-video-speaker]").addEventListener("click", () => {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    gain.gain.value = 0.2;
    osc.frequency.value = 440;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.8);
    osc.onended = () => ctx.close();
    $(root, "[data-video-speaker-note]").hidden = false;
    status.textContent = texts.tone_played;
  });
}

// Janus VideoRoom (SFU): the page publishes once and subscribes to everyone else's feed.
// Hearth gives the page a Janus token for this room only; Janus never sees a Hearth secret.
class SfuCall {
  constructor(room, media) {
    this.room = room;
    this.media = media;
    this.janus = null;
    this.publisher = null;
    this.feeds = new Map(); // Janus feed id -> subscriber handle
    // Feeds Janus announced that the server has not (yet) named as someone's: never shown as a
    // person until a peer frame from Hearth carries that feed id.
    this.unclaimed = new Map();
  }

  async start() {
    const { default: Janus } = await import(this.room.root.dataset.janusModule);
    this.Janus = Janus;
    await new Promise((resolve) => Janus.init({
      debug: false,
      dependencies: Janus.useDefaultDependencies({ adapter: window.adapter }),
      callback: resolve,
    }));
    this.janus = await new Promise((resolve, reject) => {
      const session = new Janus({
        server: this.media.server,
        token: this.media.token,
        iceServers: this.media.ice_servers || [],
        success: () => resolve(session),
        error: (err) => reject(err),
      });
    });
    this.publisher = await this.attach({
      onmessage: (msg, jsep) => this.onPublisherMessage(msg, jsep),
    });
    this.publisher.send({ message: {
      // The feed id Hearth gave this seat: the others' pages know it is mine from Hearth, not from Janus.
      request: "join", ptype: "publisher", room: this.media.room, id: this.media.feed, token: this.media.token,
    } });
  }

  attach(callbacks) {
    return new Promise((resolve, reject) => {
      this.janus.attach({
        plugin: "janus.plugin.videoroom",
        success: resolve,
        error: reject,
        ...callbacks,
      });
    });
  }

  onPublisherMessage(msg, jsep) {
    if (msg.videoroom === "joined") {
      const tracks = this.room.stream.getTracks().map((track) => ({ type: track.kind, capture: track, recv: false }));
      this.publisher.createOffer({
        tracks,
        success: (offer) => this.publisher.send({ message: { request: "publish" }, jsep: offer }),
        error: (err) => this.room.say(fmt("error", { message: String(err) })),
      });
    }
    for (const publisher of msg.publishers || []) this.subscribe(publisher);
    const gone = msg.unpublished || msg.leaving;
    if (gone) this.drop(gone);
    if (jsep) this.publisher.handleRemoteJsep({ jsep });
  }

  // Whose feed this is comes from Hearth's peer list (the feed id it assigned), never from the
  // display name a client chose when it published.
  personOf(feed) {
    for (const [id, peer] of this.room.peers) if (peer.info.feed === feed) return id;
    return null;
  }

  claim(info) {
    const publisher = this.unclaimed.get(info.feed);
    if (publisher) { this.unclaimed.delete(info.feed); this.subscribe(publisher); }
  }

  drop(feed) {
    this.unclaimed.delete(feed);
    if (this.feeds.has(feed)) { this.feeds.get(feed).detach(); this.feeds.delete(feed); }
  }

  async subscribe(publisher) {
    if (publisher.id === this.media.feed || this.feeds.has(publisher.id)) return;
    const personId = this.personOf(publisher.id);
    if (personId === null) { this.unclaimed.set(publisher.id, publisher); return; }
    const handle = await this.attach({
      onmessage: (msg, jsep) => {
        if (!jsep) return;
        handle.createAnswer({
          jsep,
          tracks: [{ type: "data" }],
          success: (answer) => handle.send({ message: { request: "start", room: this.media.room }, jsep: answer }),
          error: (err) => this.room.say(fmt("error", { message: String(err) })),
        });
      },
      onremotetrack: (track, mid, on) => {
        const peer = this.room.peers.get(personId);
        if (!peer || !on) return;
        if (!peer.remote) { peer.remote = new MediaStream(); peer.video.srcObject = peer.remote; }
        for (const old of peer.remote.getTracks()) if (old.kind === track.kind) peer.remote.removeTrack(old);
        peer.remote.addTrack(track);
        this.room.countFrames(peer.video);
      },
    });
    this.feeds.set(publisher.id, handle);
    handle.send({ message: {
      request: "join", ptype: "subscriber", room: this.media.room, streams: [{ feed: publisher.id }], token: this.media.token,
    } });
  }

  connected() {
    const pc = this.publisher && this.publisher.webrtcStuff && this.publisher.webrtcStuff.pc;
    return pc ? pc.connectionState === "connected" : false;
  }

  destroy() {
    if (this.janus) this.janus.destroy({ cleanupHandles: true });
    this.janus = null;
    this.feeds.clear();
  }
}

class Room {
  constructor(root) {
    this.root = root;
    this.isHost = root.dataset.host === "1";
    this.me = Number(root.dataset.me);
    this.earlyOffers = new Map();
    this.sfu = null;
    this.status = $(root, "[data-video-status]");
    this.announcer = $(root, "[data-video-announcer]");
    this.grid = $(root, "[data-video-grid]");
    this.peers = new Map(); // id -> {info, pc, tile, video, queued: [], offerer}
    this.people = new Map(); // id -> info, for the host list
    this.wanted = false;
    this.state = null;
    this.delay = 1000;
    this.iceServers = [];
    this.stream = null;
    this.waitingIds = new Set();
    this.bind();
    setInterval(() => this.measure(), 2000);
  }

  bind() {
    const r = this.root;
    $(r, "[data-video-join]").addEventListener("click", () => { marks.joinClickedAt = performance.now(); this.join(); });
    $(r, "[data-video-rejoin]").addEventListener("click", () => { marks.joinClickedAt = performance.now(); this.join(); });
    $(r, "[data-video-mute]").addEventListener("click", (e) => this.toggleTrack("audio", e.currentTarget));
    $(r, "[data-video-camera]").addEventListener("click", (e) => this.toggleTrack("video", e.currentTarget));
    $(r, "[data-video-hand]").addEventListener("click", (e) => {
      const raised = e.currentTarget.getAttribute("aria-pressed") !== "true";
      this.send({ type: "hand", raised });
      this.setHandButton(raised);
    });
    $(r, "[data-video-leave]").addEventListener("click", () => {
      this.send({ type: "leave" });
      this.finish(texts.left);
    });
    if (this.isHost) {
      $(r, "[data-video-lock]").addEventListener("click", (e) => {
        this.send({ type: "lock", locked: e.currentTarget.getAttribute("aria-pressed") !== "true" });
      });
      $(r, "[data-video-lower-hands]").addEventListener("click", () => this.send({ type: "lower_hands" }));
      $(r, "[data-video-end]").addEventListener("click", () => {
        if (window.confirm(texts.end_confirm)) this.send({ type: "end" });
      });
    }
    window.addEventListener("online", () => { if (this.wanted && !this.socketOpen()) this.connect(); });
  }

  say(message) { this.status.textContent = message || ""; }
  announce(message) {
    // Re-set so screen readers repeat an identical announcement.
    this.announcer.textContent = "";
    setTimeout(() => { this.announcer.textContent = message; }, 50);
  }
  socketOpen() { return this.socket && this.socket.readyState === WebSocket.OPEN; }
  send(frame) { if (this.socketOpen()) this.socket.send(JSON.stringify(frame)); }

  show(part) {
    for (const name of ["prejoin", "waiting", "call", "done"]) {
      const el = $(this.root, `[data-video-${name}]`);
      if (el) el.hidden = name !== part;
    }
  }

  async join() {
    this.wanted = true;
    this.say(texts.connecting);
    if (!this.stream) {
      const audioOnly = $(this.root, "[data-video-audio-only]").checked;
      try {
        this.stream = await openMedia(audioOnly);
      } catch (err) {
        try { this.stream = await openMedia(true); } catch (err2) { this.say(texts.no_camera); this.wanted = false; return; }
      }
      $(this.root, "[data-video-local]").srcObject = this.stream;
      const camera = $(this.root, "[data-video-camera]");
      camera.disabled = this.stream.getVideoTracks().length === 0;
    }
    await this.connect();
  }

  async connect() {
    if (!this.wanted) return;
    let answer;
    try {
      const response = await fetch(this.root.dataset.tokenUrl, {
        method: "POST",
        headers: { "X-CSRFToken": this.root.dataset.csrf },
        credentials: "same-origin",
      });
      answer = await response.json();
      if (!response.ok) { this.finish(answer.message || texts.error); return; }
    } catch (err) {
      this.retry();
      return;
    }
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${location.host}${answer.socket}?token=${encodeURIComponent(answer.token)}`);
    this.socket = socket;
    socket.addEventListener("message", (event) => this.onFrame(JSON.parse(event.data)));
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.dropPeers();
      if (this.wanted) this.retry();
    });
  }

  retry() {
    this.say(texts.reconnecting);
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, 15000);
    setTimeout(() => this.connect(), wait);
  }

  finish(message) {
    this.wanted = false;
    const socket = this.socket;
    this.socket = null;
    if (socket) socket.close();
    this.dropPeers();
    this.state = null;
    $(this.root, "[data-video-done-text]").textContent = message;
    this.say(message);
    this.show("done");
  }

  onFrame(frame) {
    switch (frame.type) {
      case "hello":
        this.delay = 1000;
        this.iceServers = frame.ice_servers || [];
        if (this.isHost) this.renderQueue(frame.waiting || []);
        this.setLocked(frame.locked, false);
        if (frame.state === "admitted") this.enterCall(frame.peers, frame.media);
        else this.enterWaiting(frame.removed_before);
        break;
      case "admitted": this.enterCall(frame.peers, frame.media); break;
      case "peer_joined":
        this.addPeer(frame.peer, false);
        this.announce(fmt("joined", frame.peer));
        break;
      case "peer_left":
        this.removePeer(frame.id);
        this.announce(fmt(frame.removed ? "peer_removed" : "peer_left", frame));
        break;
      case "offer": this.onOffer(frame); break;
      case "answer": this.onAnswer(frame); break;
      case "ice": this.onIce(frame); break;
      case "hand": this.onHand(frame); break;
      case "hands_lowered":
        for (const id of this.peers.keys()) this.markHand(id, false);
        this.setHandButton(false);
        this.announce(texts.hands_lowered);
        break;
      case "media": this.markMuted(frame.id, !frame.audio); break;
      case "queue": this.renderQueue(frame.waiting); break;
      case "locked": this.setLocked(frame.locked, true); break;
      case "ask_mute": this.announce(texts.ask_mute); this.say(texts.ask_mute); break;
      case "removed": this.finish(texts.removed); this.announce(texts.removed); break;
      case "ended": this.finish(texts.ended); break;
      case "error":
        if (frame.fatal) this.finish(frame.message);
        else this.say(fmt("error", frame));
        break;
      default: break;
    }
  }

  enterWaiting(removedBefore) {
    this.state = "waiting";
    this.show("waiting");
    const text = removedBefore ? texts.waiting_removed : texts.waiting;
    // The waiting card is itself a polite live region: the message shows (and is read) once.
    $(this.root, "[data-video-waiting-text]").textContent = text;
    this.say("");
  }

  enterCall(peers, media) {
    this.state = "admitted";
    this.show("call");
    this.say(texts.admitted);
    this.announce(texts.admitted);
    if (media && media.ice_servers) this.iceServers = media.ice_servers;
    if (media && media.backend === "janus") {
      if (media.error) { this.say(texts.error.replace("%(message)s", media.error)); return; }
      this.sfu = new SfuCall(this, media);
      this.sfu.start().catch((err) => this.say(fmt("error", { message: String(err) })));
    }
    for (const peer of peers) this.addPeer(peer, true);
    this.sendMediaState();
  }

  // --- peers -------------------------------------------------------------------------------

  addPeer(info, offerer) {
    if (this.peers.has(info.id)) this.removePeer(info.id);
    const tile = document.createElement("li");
    tile.className = "video-tile";
    tile.dataset.peer = String(info.id);
    const video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true;
    video.setAttribute("aria-label", info.name);
    const label = document.createElement("p");
    label.className = "video-name";
    label.textContent = info.name;
    const hand = document.createElement("span");
    hand.className = "video-badge";
    hand.dataset.hand = "";
    hand.textContent = texts.hand;
    hand.hidden = !info.hand;
    const muted = document.createElement("span");
    muted.className = "video-badge";
    muted.dataset.muted = "";
    muted.textContent = texts.muted;
    muted.hidden = true;
    label.append(" ", hand, " ", muted);
    tile.append(video, label);
    this.grid.append(tile);
    this.people.set(info.id, info);
    this.renderPeople();
    if (this.sfu) {
      this.peers.set(info.id, { info, pc: null, tile, video, queued: [], offerer: false, remote: null });
      this.sfu.claim(info);
      return;
    }
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    const peer = { info, pc, tile, video, queued: [], offerer };
    this.peers.set(info.id, peer);
    for (const track of this.stream.getTracks()) pc.addTrack(track, this.stream);
    pc.addEventListener("icecandidate", (e) => {
      this.send({ type: "ice", to: info.id, candidate: e.candidate ? e.candidate.toJSON() : null });
    });
    pc.addEventListener("track", (e) => {
      if (video.srcObject !== e.streams[0]) video.srcObject = e.streams[0];
      this.countFrames(video);
    });
    pc.addEventListener("connectionstatechange", () => {
      if (pc.connectionState === "failed" && peer.offerer) this.offer(peer, true);
    });
    if (offerer) this.offer(peer, false);
    const early = this.earlyOffers.get(info.id);
    if (early) {
      this.earlyOffers.delete(info.id);
      this.onOffer(early);
    }
  }

  countFrames(video) {
    if (video.dataset.counting) return;
    video.dataset.counting = "1";
    if (!("requestVideoFrameCallback" in HTMLVideoElement.prototype)) return;
    const onFrame = () => {
      marks.remoteFrames += 1;
      if (marks.firstRemoteFrameAt === null) marks.firstRemoteFrameAt = performance.now();
      video.dataset.frames = String(Number(video.dataset.frames || 0) + 1);
      if (video.isConnected) video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }

  async offer(peer, restart) {
    const description = await peer.pc.createOffer(restart ? { iceRestart: true } : {});
    await peer.pc.setLocalDescription(description);
    this.send({ type: "offer", to: peer.info.id, sdp: peer.pc.localDescription.sdp });
  }

  async onOffer(frame) {
    const peer = this.peers.get(frame.from);
    if (!peer) {
      // The offer overtook the "peer_joined" that announces its sender: keep it for addPeer.
      this.earlyOffers.set(frame.from, frame);
      return;
    }
    if (!peer.pc) return;
    if (peer.pc.signalingState === "have-local-offer") {
      // Both sides offered at once: the side with the lower id yields and answers instead.
      if (this.me > frame.from) return;
      await peer.pc.setLocalDescription({ type: "rollback" });
    }
    await peer.pc.setRemoteDescription({ type: "offer", sdp: frame.sdp });
    await this.flush(peer);
    const description = await peer.pc.createAnswer();
    await peer.pc.setLocalDescription(description);
    this.send({ type: "answer", to: frame.from, sdp: peer.pc.localDescription.sdp });
  }

  async onAnswer(frame) {
    const peer = this.peers.get(frame.from);
    if (!peer || !peer.pc) return;
    await peer.pc.setRemoteDescription({ type: "answer", sdp: frame.sdp });
    await this.flush(peer);
  }

  async onIce(frame) {
    const peer = this.peers.get(frame.from);
    if (!peer || !peer.pc || !frame.candidate) return;
    if (!peer.pc.remoteDescription) { peer.queued.push(frame.candidate); return; }
    try { await peer.pc.addIceCandidate(frame.candidate); } catch (err) { /* a stale candidate */ }
  }

  async flush(peer) {
    const queued = peer.queued.splice(0);
    for (const candidate of queued) {
      try { await peer.pc.addIceCandidate(candidate); } catch (err) { /* a stale candidate */ }
    }
  }

  removePeer(id) {
    const peer = this.peers.get(id);
    if (!peer) return;
    if (peer.pc) peer.pc.close();
    if (this.sfu && peer.info.feed) this.sfu.drop(peer.info.feed);
    peer.tile.remove();
    this.peers.delete(id);
    this.people.delete(id);
    this.renderPeople();
  }

  dropPeers() {
    for (const id of [...this.peers.keys()]) this.removePeer(id);
    if (this.sfu) { this.sfu.destroy(); this.sfu = null; }
  }

  // --- controls ----------------------------------------------------------------------------

  toggleTrack(kind, button) {
    if (!this.stream) return;
    const off = button.getAttribute("aria-pressed") !== "true";
    for (const track of this.stream.getTracks()) if (track.kind === kind) track.enabled = !off;
    button.setAttribute("aria-pressed", String(off));
    if (kind === "audio") button.textContent = off ? texts.unmute : texts.mute;
    else button.textContent = off ? texts.camera_on : texts.camera_off;
    this.sendMediaState();
  }

  sendMediaState() {
    if (!this.stream) return;
    const on = (kind) => this.stream.getTracks().some((t) => t.kind === kind && t.enabled);
    this.send({ type: "media", audio: on("audio"), video: on("video") });
  }

  setHandButton(raised) {
    const button = $(this.root, "[data-video-hand]");
    button.setAttribute("aria-pressed", String(raised));
    button.textContent = raised ? texts.lower_hand : texts.raise_hand;
  }

  onHand(frame) {
    this.markHand(frame.id, frame.raised);
    this.announce(fmt(frame.raised ? "hand_raised" : "hand_lowered", frame));
  }

  markHand(id, raised) {
    const peer = this.peers.get(id);
    if (peer) {
      peer.info.hand = raised;
      $(peer.tile, "[data-hand]").hidden = !raised;
    }
    this.renderPeople();
  }

  markMuted(id, muted) {
    const peer = this.peers.get(id);
    if (peer) $(peer.tile, "[data-muted]").hidden = !muted;
  }

  setLocked(locked, say) {
    const button = $(this.root, "[data-video-lock]");
    if (button) {
      button.setAttribute("aria-pressed", String(locked));
      button.textContent = locked ? texts.unlock : texts.lock;
    }
    if (say) this.announce(locked ? texts.locked : texts.unlocked);
  }

  renderQueue(waiting) {
    if (!this.isHost) return;
    const list = $(this.root, "[data-video-queue]");
    list.replaceChildren();
    for (const person of waiting) {
      const item = document.createElement("li");
      item.textContent = person.name + (person.removed_before ? ` ${texts.removed_before}` : "") + " ";
      const admit = document.createElement("button");
      admit.type = "button";
      admit.textContent = fmt("admit", person);
      admit.addEventListener("click", () => this.send({ type: "admit", person: person.id }));
      item.append(admit);
      list.append(item);
      if (!this.waitingIds.has(person.id)) this.announce(fmt("now_waiting", person));
    }
    this.waitingIds = new Set(waiting.map((p) => p.id));
    $(this.root, "[data-video-queue-empty]").hidden = waiting.length > 0;
  }

  renderPeople() {
    if (!this.isHost) return;
    const list = $(this.root, "[data-video-people]");
    list.replaceChildren();
    for (const [id, info] of this.people) {
      const item = document.createElement("li");
      item.textContent = info.name + (info.hand ? ` (${texts.hand})` : "") + " ";
      if (!info.host) {
        const mute = document.createElement("button");
        mute.type = "button";
        mute.className = "secondary";
        mute.textContent = fmt("ask_mute_person", info);
        mute.addEventListener("click", () => this.send({ type: "ask_mute", person: id }));
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "danger";
        remove.textContent = fmt("remove", info);
        remove.addEventListener("click", () => this.send({ type: "remove", person: id }));
        item.append(mute, " ", remove);
      }
      list.append(item);
    }
  }

  // --- connection quality ------------------------------------------------------------------

  async measure() {
    const el = $(this.root, "[data-video-quality]");
    if (!el || this.state !== "admitted") return;
    let level = this.socketOpen() ? "good" : "none";
    if (this.sfu && !this.sfu.connected()) level = level === "good" ? "fair" : level;
    for (const peer of this.peers.values()) {
      if (!peer.pc) continue;
      if (peer.pc.connectionState !== "connected") { level = level === "good" ? "fair" : level; continue; }
      const stats = await peer.pc.getStats();
      let rtt = 0; let lost = 0; let received = 0;
      stats.forEach((s) => {
        if (s.type === "candidate-pair" && s.state === "succeeded" && s.currentRoundTripTime) rtt = Math.max(rtt, s.currentRoundTripTime);
        if (s.type === "inbound-rtp") { lost += s.packetsLost || 0; received += s.packetsReceived || 0; }
      });
      const loss = received ? lost / (lost + received) : 0;
      const here = rtt > 0.8 || loss > 0.08 ? "poor" : rtt > 0.3 || loss > 0.02 ? "fair" : "good";
      if (here === "poor" || (here === "fair" && level === "good")) level = here;
    }
    el.dataset.level = level;
    el.textContent = texts[`quality_${level}`];
  }
}

const checkRoot = document.querySelector("[data-video-check]");
if (checkRoot) deviceCheck(checkRoot);
const roomRoot = document.querySelector("[data-video-room]");
if (roomRoot && roomRoot.querySelector("[data-video-join]")) window.hearthRoom = new Room(roomRoot);
