// Self-help tools that run entirely in the page: no request, nothing saved or sent.
// Translated words come from the page itself (the server renders them), so this file has none.

const reduceMotion = () =>
  window.matchMedia("(prefers-reduced-motion: reduce)").matches ||
  document.documentElement.classList.contains("pref-reduce-motion");

function texts(list) {
  return list ? [...list.querySelectorAll("li")].map((li) => li.textContent.trim()) : [];
}

function formatTime(seconds) {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

function urgeSurfing(card) {
  const timer = card.querySelector("[data-timer]");
  const prompt = card.querySelector("[data-prompt]");
  const done = card.querySelector("[data-done]");
  const start = card.querySelector("[data-start]");
  const stop = card.querySelector("[data-stop]");
  const prompts = texts(card.querySelector("[data-prompts]"));
  let interval = null;
  const minutes = () => Number(card.querySelector("input[name=urge-minutes]:checked")?.value || 10);
  const reset = () => {
    clearInterval(interval);
    interval = null;
    start.hidden = false;
    stop.hidden = true;
  };
  card.querySelectorAll("input[name=urge-minutes]").forEach((input) =>
    input.addEventListener("change", () => {
      if (!interval) timer.textContent = formatTime(minutes() * 60);
    }),
  );
  start.addEventListener("click", () => {
    let left = minutes() * 60;
    done.hidden = true;
    start.hidden = true;
    stop.hidden = false;
    timer.textContent = formatTime(left);
    prompt.textContent = prompts[0] || "";
    interval = setInterval(() => {
      left -= 1;
      timer.textContent = formatTime(Math.max(left, 0));
      // A new gentle prompt every 30 seconds.
      if (left % 30 === 0 && prompts.length) {
        prompt.textContent = prompts[(minutes() * 60 - left) / 30 % prompts.length];
      }
      if (left <= 0) {
        reset();
        prompt.textContent = "";
        done.hidden = false;
      }
    }, 1000);
  });
  stop.addEventListener("click", () => {
    reset();
    prompt.textContent = "";
    timer.textContent = formatTime(minutes() * 60);
  });
}

function boxBreathing(card) {
  const box = card.querySelector("[data-box]");
  const phase = card.querySelector("[data-phase]");
  const start = card.querySelector("[data-start]");
  const stop = card.querySelector("[data-stop]");
  const phases = texts(card.querySelector("[data-phases]"));
  let interval = null;
  let step = 0;
  const show = () => {
    phase.textContent = phases[step % 4] || "";
    box.classList.toggle("still", reduceMotion());
    if (step % 4 === 0) box.classList.add("grow");
    if (step % 4 === 2) box.classList.remove("grow");
    step += 1;
  };
  start.addEventListener("click", () => {
    step = 0;
    show();
    interval = setInterval(show, 4000);
    start.hidden = true;
    stop.hidden = false;
  });
  stop.addEventListener("click", () => {
    clearInterval(interval);
    phase.textContent = "";
    box.classList.remove("grow");
    start.hidden = false;
    stop.hidden = true;
  });
}

function grounding(card) {
  const steps = [...card.querySelectorAll("[data-steps] li")];
  const done = card.querySelector("[data-done]");
  const next = card.querySelector("[data-next]");
  let at = 0;
  const show = () => {
    steps.forEach((li, i) => (li.hidden = i > at));
    done.hidden = at < steps.length;
    next.hidden = at >= steps.length;
  };
  next.addEventListener("click", () => {
    at += 1;
    show();
  });
  card.querySelector("[data-reset]").addEventListener("click", () => {
    at = 0;
    show();
  });
}

function halt(card) {
  card.querySelectorAll("input[type=checkbox]").forEach((box) =>
    box.addEventListener("change", () => {
      const tip = card.querySelector(`[data-tip="${box.value}"]`);
      if (tip) tip.hidden = !box.checked;
    }),
  );
}

const TOOLS = { urge: urgeSurfing, box: boxBreathing, grounding, halt };
document.querySelectorAll("[data-tool]").forEach((card) => TOOLS[card.dataset.tool]?.(card));
