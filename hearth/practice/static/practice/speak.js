// Reads the counterpart's current lines aloud with the browser's own speech synthesis (nothing
// leaves the device). The button stays hidden where speech synthesis is not available.
const button = document.querySelector("[data-speak]");
if (button && "speechSynthesis" in window && "SpeechSynthesisUtterance" in window) {
  button.hidden = false;
  button.addEventListener("click", () => {
    const text = Array.from(document.querySelectorAll("#now .them-text"), (el) => el.textContent.trim()).join(" ");
    window.speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = button.dataset.lang || document.documentElement.lang || "en-US";
    utterance.rate = 0.95;
    window.speechSynthesis.speak(utterance);
  });
}
