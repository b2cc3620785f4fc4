// 大字模式 (larger-text mode, 适老化): a toggle remembered in localStorage; the page works without it.
(function () {
  var KEY = "gongkai-large-text";
  var root = document.documentElement;
  function apply(on) {
    root.classList.toggle("large-text", on);
    var b = document.getElementById("large-text");
    if (b) { b.setAttribute("aria-pressed", on ? "true" : "false"); b.textContent = on ? "标准字号" : "大字模式"; }
  }
  var stored = false;
  try { stored = window.localStorage.getItem(KEY) === "1"; } catch (e) { stored = false; }
  if (stored) root.classList.add("large-text");
  document.addEventListener("DOMContentLoaded", function () {
    apply(root.classList.contains("large-text"));
    var b = document.getElementById("large-text");
    if (!b) return;
    b.addEventListener("click", function () {
      var on = !root.classList.contains("large-text");
      apply(on);
      try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
    });
  });
})();
